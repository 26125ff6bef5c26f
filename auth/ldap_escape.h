/* LDAP text built from input: filters (RFC 4515) and DNs (RFC 4514), escaped and compared with
 * libldap's own parsers, never with sprintf. */
#ifndef JICENG_LDAP_ESCAPE_H
#define JICENG_LDAP_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* value[0..len) escaped for use as an assertion value in a filter: '*', '(', ')', '\', NUL and
 * every byte outside ASCII become \XX (ldap_bv2escaped_filter_value). In a. */
char *auth_filter_escape(struct arena *a, const char *value, size_t len);

/* The filter template with every "%s" replaced by value[0..len) escaped as above; templates such
 * as the default group filter hold %s more than once. Nothing else in the template is special.
 * In a. */
char *auth_filter_build(struct arena *a, const char *template, const char *value, size_t len);

/* True when template holds %s and, with a value in place of every %s, parses as a filter. */
bool auth_filter_template_valid(const char *template);

/* The DN "attr=VALUE,parent" (or "attr=VALUE" when parent is empty) with VALUE escaped per
 * RFC 4514: ',', '+', '"', '\', '<', '>', ';', '=', a leading '#' or space and a trailing space
 * become \XX; UTF-8 text such as Chinese stays as it is. NULL when value is not UTF-8 or
 * parent is not a DN. In a. */
char *auth_dn_child(struct arena *a, const char *attr, const char *value, const char *parent);

/* dn in one canonical form, for comparing: spaces and escapes made uniform by libldap's DN
 * parser (UTF-8 aware, Chinese stays UTF-8), then ASCII letters lowercased, since attribute
 * types and the usual naming attributes (cn, ou, dc, uid) compare case-insensitively. NULL when
 * dn does not parse. In a. */
char *auth_dn_normalize(struct arena *a, const char *dn);

/* The DN one level up ("" above a single RDN), or NULL when dn is empty or does not parse. */
char *auth_dn_parent(struct arena *a, const char *dn);

/* The unescaped value of the first attribute of the first RDN ("jiceng-admin" for
 * "cn=jiceng-admin,ou=groups,..."), or NULL when dn is empty or does not parse. */
char *auth_dn_first_value(struct arena *a, const char *dn);

/* True when dn is base or lies below it, compared normalised. Every DN lies below "". */
bool auth_dn_within(struct arena *a, const char *dn, const char *base);

#endif

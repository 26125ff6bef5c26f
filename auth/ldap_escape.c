/* Escaping filter values and DN values, and comparing DNs, with libldap's parsers. */
#include "ldap_escape.h"

#include <ldap.h>
#include <string.h>

#include "arena.h"
#include "utf8.h"

/* LDAPv3 string form; PRETTY keeps UTF-8 as UTF-8 instead of \XX for every byte. */
enum { DN_FORMAT = LDAP_DN_FORMAT_LDAPV3 | LDAP_DN_PRETTY };

char *auth_filter_escape(struct arena *a, const char *value, size_t len)
{
    struct berval in = {len, (char *)value}, out = {0, NULL};
    if (ldap_bv2escaped_filter_value(&in, &out) != 0)
        out_of_memory(); /* it fails only when it cannot allocate */
    char *copy = arena_strndup(a, out.bv_val, out.bv_len);
    ber_memfree(out.bv_val);
    return copy;
}

char *auth_filter_build(struct arena *a, const char *template, const char *value, size_t len)
{
    const char *escaped = auth_filter_escape(a, value, len);
    size_t count = 0, elen = strlen(escaped);
    for (const char *p = strstr(template, "%s"); p; p = strstr(p + 2, "%s"))
        count++;
    char *filter = arena_alloc(a, strlen(template) + count * elen + 1), *o = filter;
    for (const char *p = template; *p;) {
        if (p[0] == '%' && p[1] == 's') {
            memcpy(o, escaped, elen);
            o += elen;
            p += 2;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return filter;
}

bool auth_filter_template_valid(const char *template)
{
    if (!strstr(template, "%s"))
        return false;
    struct arena *a = arena_new();
    const char *filter = auth_filter_build(a, template, "x", 1);
    /* libldap has no public filter parser, but encoding an assertion control parses the filter
     * exactly as a search would. No connection is made. */
    LDAP *ld = NULL;
    struct berval encoded = {0, NULL};
    bool valid = ldap_initialize(&ld, NULL) == LDAP_SUCCESS &&
                 ldap_create_assertion_control_value(ld, (char *)filter, &encoded) ==
                     LDAP_SUCCESS;
    ber_memfree(encoded.bv_val);
    if (ld)
        ldap_unbind_ext_s(ld, NULL, NULL);
    arena_free(a);
    return valid;
}

/* Writes dn (a parsed DN or part of one) in the canonical string form into a. */
static char *dn_string(struct arena *a, LDAPDN dn)
{
    char *s = NULL;
    if (ldap_dn2str(dn, &s, DN_FORMAT) != LDAP_SUCCESS)
        return NULL;
    char *copy = arena_strdup(a, s ? s : "");
    ldap_memfree(s);
    return copy;
}

char *auth_dn_child(struct arena *a, const char *attr, const char *value, const char *parent)
{
    if (!utf8_valid(value, strlen(value)) || !attr[0])
        return NULL;
    LDAPAVA ava = {.la_attr = {strlen(attr), (char *)attr},
                   .la_value = {strlen(value), (char *)value},
                   .la_flags = LDAP_AVA_STRING};
    LDAPAVA *rdn[] = {&ava, NULL};
    LDAPRDN rdns[] = {rdn, NULL};
    const char *child = dn_string(a, rdns);
    if (!child || !parent[0])
        return (char *)child;
    LDAPDN check = NULL;
    if (ldap_str2dn(parent, &check, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS)
        return NULL;
    ldap_dnfree(check);
    return arena_printf(a, "%s,%s", child, parent);
}

char *auth_dn_normalize(struct arena *a, const char *dn)
{
    LDAPDN parsed = NULL;
    if (ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS)
        return NULL;
    char *s = parsed ? dn_string(a, parsed) : arena_strdup(a, "");
    ldap_dnfree(parsed);
    /* Only ASCII bytes change: in UTF-8 they never occur inside a multi-byte character. */
    for (char *p = s; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return s;
}

char *auth_dn_parent(struct arena *a, const char *dn)
{
    LDAPDN parsed = NULL;
    if (ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS || !parsed)
        return NULL;
    /* A parsed DN is a NULL-terminated array of RDNs, the leftmost first: the parent starts
     * at the second. */
    char *parent = parsed[1] ? dn_string(a, parsed + 1) : arena_strdup(a, "");
    ldap_dnfree(parsed);
    return parent;
}

char *auth_dn_first_value(struct arena *a, const char *dn)
{
    LDAPDN parsed = NULL;
    if (ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAP) != LDAP_SUCCESS || !parsed)
        return NULL;
    struct berval *v = &parsed[0][0]->la_value;
    char *value = arena_strndup(a, v->bv_val, v->bv_len);
    ldap_dnfree(parsed);
    return value;
}

bool auth_dn_within(struct arena *a, const char *dn, const char *base)
{
    const char *d = auth_dn_normalize(a, dn), *b = auth_dn_normalize(a, base);
    if (!d || !b)
        return false;
    size_t dlen = strlen(d), blen = strlen(b);
    if (blen == 0 || strcmp(d, b) == 0)
        return true;
    /* In the canonical form a comma inside a value is written \2c, so a bare comma always
     * separates RDNs. */
    return dlen > blen && strcmp(d + dlen - blen, b) == 0 && d[dlen - blen - 1] == ',';
}

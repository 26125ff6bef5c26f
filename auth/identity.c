/* Who a user is for Jiceng: her display name, her jurisdiction (a region code on her entry or
 * on the nearest unit above it) and her roles (from her groups, nested ones included). */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "directory.h"
#include "directory_private.h"
#include "ldap_escape.h"
#include "log.h"
#include "region_code.h"
#include "roles.h"
#include "utf8.h"

/* More groups than this for one user is a loop the cycle check missed or a directory gone
 * wrong; stop following rather than search for ever. */
enum { MAX_GROUPS = 1000 };

static const char *display_name(struct arena *a, const struct user_entry *u, const char *fallback)
{
    if (u->name && u->name[0] && utf8_valid(u->name, strlen(u->name)))
        return u->name;
    if (fallback)
        return arena_strdup(a, fallback);
    const char *rdn = auth_dn_first_value(a, u->dn);
    return rdn && utf8_valid(rdn, strlen(rdn)) ? rdn : "";
}

/* The first of values that is a region code. */
static const char *region_code(char **values)
{
    for (; *values; values++)
        if (region_level_of(*values) != LEVEL_NONE)
            return *values;
    return NULL;
}

/* The code on the nearest entry above the user that has one in unit_region_attribute: the
 * parent, then the grandparent, up to base_dn, each read with a base search. */
static enum auth_result unit_region(struct directory *d, struct arena *a, const char *user_dn,
                                    const char **code)
{
    const struct config *cfg = d->cfg;
    char *attrs[] = {cfg->ldap_unit_region_attr, NULL};
    for (const char *dn = auth_dn_parent(a, user_dn);
         dn && dn[0] && auth_dn_within(a, dn, cfg->ldap_base_dn); dn = auth_dn_parent(a, dn)) {
        LDAPMessage *res = NULL;
        int rc = dir_search(d, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 1, &res);
        LDAPMessage *entry = rc == LDAP_SUCCESS ? ldap_first_entry(d->search, res) : NULL;
        if (entry)
            *code = region_code(dir_values(d, a, entry, attrs[0]));
        ldap_msgfree(res);
        if (rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT && rc != LDAP_REFERRAL)
            return dir_failure(d, rc, "reading a unit above a user");
        if (*code)
            break;
    }
    return AUTH_OK;
}

/* The groups found so far, each once: the cycle check of nested groups. */
struct group_set {
    const char **dns, **keys; /* as the directory wrote them, and normalised */
    size_t count, cap;
    bool full;
};

static void group_add(struct arena *a, struct group_set *s, const char *dn)
{
    const char *key = auth_dn_normalize(a, dn);
    if (!key)
        return;
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->keys[i], key) == 0)
            return;
    if (s->count == MAX_GROUPS) {
        s->full = true;
        return;
    }
    if (s->count == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        const char **dns = arena_alloc(a, cap * sizeof *dns);
        const char **keys = arena_alloc(a, cap * sizeof *keys);
        if (s->count) {
            memcpy(dns, s->dns, s->count * sizeof *dns);
            memcpy(keys, s->keys, s->count * sizeof *keys);
        }
        s->dns = dns, s->keys = keys, s->cap = cap;
    }
    s->dns[s->count] = arena_strdup(a, dn);
    s->keys[s->count++] = key;
}

/* Adds the groups whose group_filter matches member (a DN, or a uid for posixGroups). */
static enum auth_result search_groups(struct directory *d, struct arena *a, const char *member,
                                      struct group_set *s)
{
    const struct config *cfg = d->cfg;
    const char *base = cfg->ldap_group_base[0] ? cfg->ldap_group_base : cfg->ldap_base_dn;
    const char *filter = auth_filter_build(a, cfg->ldap_group_filter, member, strlen(member));
    char *attrs[] = {LDAP_NO_ATTRS, NULL};
    LDAPMessage *res = NULL;
    int rc = dir_search(d, base, LDAP_SCOPE_SUBTREE, filter, attrs, 0, &res);
    if (rc == LDAP_SIZELIMIT_EXCEEDED)
        log_warn("directory: the server's size limit cut the groups of %s", member);
    for (LDAPMessage *e = res ? ldap_first_entry(d->search, res) : NULL; e;
         e = ldap_next_entry(d->search, e)) {
        char *dn = ldap_get_dn(d->search, e);
        if (dn)
            group_add(a, s, dn);
        ldap_memfree(dn);
    }
    ldap_msgfree(res);
    if (rc == LDAP_SUCCESS || rc == LDAP_SIZELIMIT_EXCEEDED || rc == LDAP_NO_SUCH_OBJECT ||
        rc == LDAP_REFERRAL)
        return AUTH_OK;
    return dir_failure(d, rc, "searching for groups");
}

/* Adds the memberOf values of the group dn (groups within groups, in group_mode memberof). */
static enum auth_result read_member_of(struct directory *d, struct arena *a, const char *dn,
                                       struct group_set *s)
{
    char *attrs[] = {"memberOf", NULL};
    LDAPMessage *res = NULL;
    int rc = dir_search(d, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 1, &res);
    LDAPMessage *entry = rc == LDAP_SUCCESS ? ldap_first_entry(d->search, res) : NULL;
    for (char **v = entry ? dir_values(d, a, entry, "memberOf") : NULL; v && *v; v++)
        group_add(a, s, *v);
    ldap_msgfree(res);
    /* A memberOf value naming a group that is gone is no group. */
    if (rc == LDAP_SUCCESS || rc == LDAP_NO_SUCH_OBJECT || rc == LDAP_REFERRAL)
        return AUTH_OK;
    return dir_failure(d, rc, "reading a group's memberOf");
}

/* Collects the user's groups: the direct ones, then, level by level up to nested_depth, the
 * groups those are members of, each group once however the groups loop. */
static enum auth_result collect_groups(struct directory *d, struct arena *a,
                                       const struct user_entry *u, struct group_set *s)
{
    const struct config *cfg = d->cfg;
    bool by_search = strcmp(cfg->ldap_group_mode, "search") == 0;
    bool by_uid = strcmp(cfg->ldap_group_member, "uid") == 0;
    enum auth_result r = AUTH_OK;
    if (!by_search)
        for (char **v = u->member_of; *v; v++)
            group_add(a, s, *v);
    else if (!by_uid || u->uid)
        r = search_groups(d, a, by_uid ? u->uid : u->dn, s);
    /* posixGroups list uids, and a group has none: with group_member=uid there is no nesting. */
    int depth = by_search && by_uid ? 0 : cfg->ldap_nested_depth;
    for (size_t start = 0, end; r == AUTH_OK && depth-- > 0 && start < s->count; start = end) {
        end = s->count;
        for (size_t i = start; i < end && r == AUTH_OK; i++)
            r = by_search ? search_groups(d, a, s->dns[i], s) : read_member_of(d, a, s->dns[i], s);
    }
    if (s->full)
        log_warn("directory: %s is in more than %d groups; the rest are ignored", u->dn,
                 MAX_GROUPS);
    return r;
}

enum auth_result dir_identity(struct directory *d, struct arena *a, const struct user_entry *u,
                              const char *fallback_name, struct identity *out)
{
    struct group_set groups = {0};
    enum auth_result r = collect_groups(d, a, u, &groups);
    if (r != AUTH_OK)
        return r;
    unsigned roles = 0;
    for (size_t i = 0; i < groups.count; i++)
        roles |= role_map_match(d->roles, a, groups.dns[i]);
    if (!roles)
        return AUTH_NO_ROLE;
    const char *code = NULL;
    if (d->cfg->ldap_region_attr[0])
        code = region_code(u->regions);
    else if ((r = unit_region(d, a, u->dn, &code)) != AUTH_OK)
        return r;
    if (!code)
        return AUTH_NO_REGION;
    out->dn = u->dn;
    out->display_name = display_name(a, u, fallback_name);
    snprintf(out->region, sizeof out->region, "%s", code);
    out->level = region_level_of(code);
    out->roles = roles;
    return AUTH_OK;
}

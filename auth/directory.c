/* The per-thread directory state: connections kept across requests and opened again when they
 * break, the checks of the settings at start, the health ping and the users' messages. */
#include "directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "arena.h"
#include "config.h"
#include "directory_private.h"
#include "ldap_conn.h"
#include "ldap_escape.h"
#include "log.h"
#include "roles.h"

static struct role_map *roles_from(const struct config *cfg, char *err, size_t errlen)
{
    const char *const lists[ROLE_COUNT] = {cfg->roles_viewer, cfg->roles_clerk,
                                           cfg->roles_approver, cfg->roles_admin};
    return role_map_new(lists, err, errlen);
}

/* The attributes a login or refresh reads from the user's entry. Asking for one the schema
 * does not have is harmless: servers leave it out. memberOf is operational, so it is only
 * returned when asked for by name. */
static void choose_user_attrs(struct directory *d)
{
    const struct config *cfg = d->cfg;
    int n = 0;
    d->user_attrs[n++] = cfg->ldap_name_attr;
    if (cfg->ldap_region_attr[0])
        d->user_attrs[n++] = cfg->ldap_region_attr;
    if (strcmp(cfg->ldap_group_mode, "memberof") == 0)
        d->user_attrs[n++] = "memberOf";
    if (strcmp(cfg->ldap_group_member, "uid") == 0)
        d->user_attrs[n++] = "uid";
    d->user_attrs[n++] = "userAccountControl";
    d->user_attrs[n++] = "accountExpires";
    d->user_attrs[n++] = "pwdAccountLockedTime";
    d->user_attrs[n] = NULL;
}

struct directory *directory_new(const struct config *cfg)
{
    struct directory *d = calloc(1, sizeof *d);
    if (!d)
        out_of_memory();
    d->cfg = cfg;
    char err[512];
    d->roles = roles_from(cfg, err, sizeof err);
    if (!d->roles) { /* directory_check_config reported it; map nothing, so nobody gets in */
        const char *const none[ROLE_COUNT] = {NULL};
        d->roles = role_map_new(none, err, sizeof err);
    }
    unsigned char random[8] = {0};
    if (getrandom(random, sizeof random, 0) != sizeof random)
        log_warn("getrandom failed; the unknown-user decoy DN is not random");
    if (asprintf(&d->decoy_parent, "cn=jiceng-no-such-entry-%02x%02x%02x%02x%02x%02x%02x%02x,%s",
                 random[0], random[1], random[2], random[3], random[4], random[5], random[6],
                 random[7], cfg->ldap_base_dn) < 0)
        out_of_memory();
    choose_user_attrs(d);
    return d;
}

void directory_free(struct directory *d)
{
    if (!d)
        return;
    auth_conn_close(d->search);
    auth_conn_close(d->bind);
    role_map_free(d->roles);
    free(d->decoy_parent);
    free(d);
}

/* Opens a connection, as the service account when service is true. Returns an LDAP result
 * code; *out is set on success, err says why on failure. */
static int open_conn(struct directory *d, bool service, LDAP **out, char *err, size_t errlen)
{
    const struct config *cfg = d->cfg;
    LDAP *ld = auth_conn_new(cfg, err, errlen);
    if (!ld)
        return LDAP_LOCAL_ERROR;
    int rc = auth_conn_connect(ld, cfg, err, errlen);
    if (rc == LDAP_SUCCESS && service && cfg->ldap_bind_dn[0]) {
        struct bind_outcome b;
        rc = auth_conn_bind(ld, cfg->ldap_bind_dn, cfg->ldap_bind_password, cfg->ldap_timeout, &b);
        if (rc != LDAP_SUCCESS)
            snprintf(err, errlen, "binding as the service account %s: %s%s%s", cfg->ldap_bind_dn,
                     ldap_err2string(rc), b.diag[0] ? ": " : "", b.diag);
    }
    if (rc != LDAP_SUCCESS) {
        auth_conn_close(ld);
        return rc;
    }
    *out = ld;
    return LDAP_SUCCESS;
}

/* Logs how an attempt ended: an unreachable directory once, until it answers again; a
 * connection that could not be opened for another reason (the service account refused, TLS
 * refused) every time, since it needs the operator. */
static void note(struct directory *d, int rc, const char *err)
{
    if (auth_conn_down(rc)) {
        if (!d->unavailable)
            log_error("directory %s unavailable: %s", d->cfg->ldap_uri, err);
        d->unavailable = true;
        return;
    }
    if (d->unavailable)
        log_info("directory %s answers again", d->cfg->ldap_uri);
    d->unavailable = false;
    if (rc != LDAP_SUCCESS)
        log_error("directory %s: %s", d->cfg->ldap_uri, err);
}

int dir_search(struct directory *d, const char *base, int scope, const char *filter,
               char **attrs, int sizelimit, LDAPMessage **res)
{
    *res = NULL;
    for (;;) {
        bool kept = d->search != NULL;
        char err[512] = "";
        int rc = kept ? LDAP_SUCCESS : open_conn(d, true, &d->search, err, sizeof err);
        if (rc == LDAP_SUCCESS) {
            struct timeval timeout = {d->cfg->ldap_timeout, 0};
            rc = ldap_search_ext_s(d->search, base, scope, filter, attrs, 0, NULL, NULL,
                                   &timeout, sizelimit, res);
            if (rc != LDAP_SUCCESS)
                auth_conn_error(d->search, rc, err, sizeof err);
            if (!auth_conn_down(rc) || rc == LDAP_TIMELIMIT_EXCEEDED) {
                note(d, LDAP_SUCCESS, err); /* the server answered, even if with an error */
                return rc;
            }
            ldap_msgfree(*res);
            *res = NULL;
            auth_conn_close(d->search);
            d->search = NULL;
        }
        /* Only a kept connection deserves a second try: it may have been closed since it was
         * last used. A new one that failed, or a server too slow to answer, will not do
         * better at once. */
        if (!kept || rc == LDAP_TIMEOUT) {
            note(d, rc, err);
            return rc;
        }
    }
}

int dir_bind(struct directory *d, const char *dn, const char *password, struct bind_outcome *out)
{
    for (;;) {
        bool kept = d->bind != NULL;
        char err[512] = "";
        int rc = kept ? LDAP_SUCCESS : open_conn(d, false, &d->bind, err, sizeof err);
        if (rc != LDAP_SUCCESS) {
            memset(out, 0, sizeof *out);
            out->rc = rc;
            out->ppolicy = PP_noError;
            snprintf(out->diag, sizeof out->diag, "%s", err);
        } else {
            rc = auth_conn_bind(d->bind, dn, password, d->cfg->ldap_timeout, out);
            snprintf(err, sizeof err, "%s%s%s", ldap_err2string(rc), out->diag[0] ? ": " : "",
                     out->diag);
            if (!auth_conn_down(rc)) {
                note(d, LDAP_SUCCESS, err);
                return rc;
            }
            auth_conn_close(d->bind);
            d->bind = NULL;
        }
        if (!kept || rc == LDAP_TIMEOUT) {
            note(d, rc, err);
            return rc;
        }
    }
}

char **dir_values(struct directory *d, struct arena *a, LDAPMessage *entry, const char *attr)
{
    struct berval **values = ldap_get_values_len(d->search, entry, attr);
    int count = ldap_count_values_len(values);
    char **out = arena_alloc(a, ((size_t)(count > 0 ? count : 0) + 1) * sizeof *out);
    for (int i = 0; i < count; i++)
        out[i] = arena_strndup(a, values[i]->bv_val, values[i]->bv_len);
    out[count > 0 ? count : 0] = NULL;
    ldap_value_free_len(values);
    return out;
}

enum auth_result dir_failure(struct directory *d, int rc, const char *what)
{
    if (auth_conn_down(rc))
        return AUTH_UNAVAILABLE;
    if (d->search) /* else the connection could not be opened, which dir_search logged */
        log_error("directory: %s: %s", what, ldap_err2string(rc));
    return AUTH_ERROR;
}

/* ---------------------------------------------------------------------------------------------
 * Messages */

static const char *const messages[] = {
    [AUTH_OK] = "登录成功",
    [AUTH_INVALID] = "用户名或密码错误",
    [AUTH_LOCKED] = "账号已被目录锁定，请联系管理员解锁",
    [AUTH_DISABLED] = "账号已停用，请联系管理员",
    [AUTH_EXPIRED] = "账号已过期，请联系管理员",
    [AUTH_PASSWORD_EXPIRED] = "密码已过期或须修改，请先在单位目录（域账号）中修改密码后再登录",
    [AUTH_NO_ROLE] = "账号未分配本系统的角色，请联系管理员",
    [AUTH_NO_REGION] = "账号未关联所属行政区划，请联系管理员",
    [AUTH_UNAVAILABLE] = "目录服务暂时无法连接，请稍后再试",
    [AUTH_ERROR] = "登录时发生内部错误，请稍后再试或联系管理员",
};

static const char *const names[] = {
    [AUTH_OK] = "ok",
    [AUTH_INVALID] = "invalid",
    [AUTH_LOCKED] = "locked",
    [AUTH_DISABLED] = "disabled",
    [AUTH_EXPIRED] = "expired",
    [AUTH_PASSWORD_EXPIRED] = "password_expired",
    [AUTH_NO_ROLE] = "no_role",
    [AUTH_NO_REGION] = "no_region",
    [AUTH_UNAVAILABLE] = "unavailable",
    [AUTH_ERROR] = "error",
};

const char *auth_result_message(enum auth_result r)
{
    return r <= AUTH_ERROR ? messages[r] : messages[AUTH_ERROR];
}

const char *auth_result_name(enum auth_result r)
{
    return r <= AUTH_ERROR ? names[r] : names[AUTH_ERROR];
}

/* ---------------------------------------------------------------------------------------------
 * Checking the settings at start */

/* A DN setting that must parse; empty is allowed when optional. */
static int check_dn(const char *key, const char *dn, bool optional, char *err, size_t errlen)
{
    if (!dn[0] && optional)
        return 0;
    struct arena *a = arena_new();
    bool ok = dn[0] && auth_dn_normalize(a, dn) != NULL;
    arena_free(a);
    if (!ok)
        snprintf(err, errlen, "[directory] %s: \"%s\" is not a DN", key, dn);
    return ok ? 0 : -1;
}

/* The settings that are words from a small set, and the attributes that must be named. */
static int check_choices(const struct config *cfg, char *err, size_t errlen)
{
    const char *why = NULL;
    if (strcmp(cfg->ldap_group_mode, "memberof") != 0 && strcmp(cfg->ldap_group_mode, "search"))
        why = "group_mode: expected memberof or search";
    else if (strcmp(cfg->ldap_group_member, "dn") != 0 && strcmp(cfg->ldap_group_member, "uid"))
        why = "group_member: expected dn or uid";
    else if (!cfg->ldap_name_attr[0])
        why = "display_name_attribute: must name an attribute";
    else if (!cfg->ldap_region_attr[0] && !cfg->ldap_unit_region_attr[0])
        why = "unit_region_attribute: must name an attribute when region_attribute is empty";
    else if (!auth_filter_template_valid(cfg->ldap_user_filter))
        why = "user_filter: must be a filter with %s where the username goes";
    else if (strcmp(cfg->ldap_group_mode, "search") == 0 &&
             !auth_filter_template_valid(cfg->ldap_group_filter))
        why = "group_filter: must be a filter with %s where the member goes";
    else if (cfg->ldap_bind_dn[0] && !cfg->ldap_bind_password[0])
        why = "bind_password: empty, which would be an anonymous bind (for anonymous searches "
              "leave bind_dn empty)";
    if (why)
        snprintf(err, errlen, "[directory] %s", why);
    return why ? -1 : 0;
}

/* True when uri is a local socket or on a loopback address, where clear text stays here. */
static bool local_uri(const char *uri)
{
    LDAPURLDesc *lud = NULL;
    if (ldap_url_parse(uri, &lud) != LDAP_URL_SUCCESS)
        return false;
    const char *host = lud->lud_host ? lud->lud_host : "";
    bool local = strcmp(lud->lud_scheme, "ldapi") == 0 || !host[0] ||
                 strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
                 strcmp(host, "::1") == 0;
    ldap_free_urldesc(lud);
    return local;
}

static void warn_insecure(const struct config *cfg)
{
    if (cfg->ldap_insecure)
        log_warn("[directory] insecure_skip_verify is on: the directory's certificate is not "
                 "checked, so whoever sits between here and %s can read the passwords",
                 cfg->ldap_uri);
    if (cfg->ldap_starttls)
        return;
    char *uris = strdup(cfg->ldap_uri), *save = NULL;
    if (!uris)
        out_of_memory();
    for (char *u = strtok_r(uris, " \t", &save); u; u = strtok_r(NULL, " \t", &save))
        if (strncasecmp(u, "ldap://", 7) == 0 && !local_uri(u))
            log_warn("[directory] passwords go to %s in clear text: use ldaps:// or starttls", u);
    free(uris);
}

int directory_check_config(const struct config *cfg, char *err, size_t errlen)
{
    if (check_dn("base_dn", cfg->ldap_base_dn, false, err, errlen) != 0 ||
        check_dn("bind_dn", cfg->ldap_bind_dn, true, err, errlen) != 0 ||
        check_dn("group_base", cfg->ldap_group_base, true, err, errlen) != 0 ||
        check_choices(cfg, err, errlen) != 0)
        return -1;
    struct role_map *map = roles_from(cfg, err, errlen);
    if (!map)
        return -1;
    bool empty = role_map_empty(map);
    role_map_free(map);
    if (empty) {
        snprintf(err, errlen, "[roles]: no group is mapped to a role, so nobody could log in");
        return -1;
    }
    /* Builds a handle as the workers will: bad URIs and an unreadable CA file show now. */
    LDAP *ld = auth_conn_new(cfg, err, errlen);
    if (!ld)
        return -1;
    auth_conn_close(ld);
    warn_insecure(cfg);
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Health */

int directory_ping(const struct config *cfg, char *err, size_t errlen)
{
    LDAP *ld = auth_conn_new(cfg, err, errlen);
    if (!ld)
        return -1;
    int rc = auth_conn_connect(ld, cfg, err, errlen);
    if (rc == LDAP_SUCCESS) {
        char *attrs[] = {"namingContexts", NULL};
        struct timeval timeout = {cfg->ldap_timeout, 0};
        LDAPMessage *result = NULL;
        rc = ldap_search_ext_s(ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL,
                               &timeout, 1, &result);
        ldap_msgfree(result);
        if (rc != LDAP_SUCCESS)
            auth_conn_error(ld, rc, err, errlen);
    }
    auth_conn_close(ld);
    if (rc != LDAP_SUCCESS) {
        char why[512];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, errlen, "directory %s: %s", cfg->ldap_uri, why);
        return -1;
    }
    return 0;
}

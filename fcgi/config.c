/* The settings table: every setting described once, read from an INI file with inih. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "roles.h"

/* A LIST is text that a repeated key extends ('|' between), so a long list needs no long line.
 * ROLES is role names separated by commas, kept as enum role bits (auth/roles.h). */
enum type { TEXT, LIST, INT, OCTAL, BOOL, ROLES };

struct setting {
    const char *section, *key;
    enum type type;
    size_t offset;          /* of the field in struct config */
    const char *fallback;   /* the default, as it would be written in the file */
    long min, max;          /* bounds of numbers */
    const char *help;
};

#define FIELD(f) offsetof(struct config, f)

static const struct setting settings[] = {
    {"server", "listen", TEXT, FIELD(listen), "/run/jiceng/jiceng.sock", 0, 0,
     "unix socket path (starting with /) or host:port to serve FastCGI on"},
    {"server", "socket_mode", OCTAL, FIELD(socket_mode), "660", 0, 0777,
     "permissions of the unix socket, octal"},
    {"server", "workers", INT, FIELD(workers), "8", 1, 256,
     "request threads, each with its own database connection"},
    {"server", "access_log", TEXT, FIELD(access_log), "-", 0, 0,
     "access log file, or - for standard error"},
    {"database", "socket", TEXT, FIELD(db_socket), "", 0, 0,
     "MariaDB unix socket; when empty, host and port are used"},
    {"database", "host", TEXT, FIELD(db_host), "127.0.0.1", 0, 0, "MariaDB host"},
    {"database", "port", INT, FIELD(db_port), "3306", 1, 65535, "MariaDB port"},
    {"database", "name", TEXT, FIELD(db_name), "jiceng", 0, 0, "database name"},
    {"database", "user", TEXT, FIELD(db_user), "jiceng", 0, 0, "the application's account"},
    {"database", "password", TEXT, FIELD(db_password), "", 0, 0, "its password"},
    {"database", "admin_user", TEXT, FIELD(db_admin_user), "", 0, 0,
     "account for migrations and imports; empty means user"},
    {"database", "admin_password", TEXT, FIELD(db_admin_password), "", 0, 0, "its password"},
    {"database", "connect_timeout", INT, FIELD(db_connect_timeout), "2", 1, 60,
     "seconds to wait for a connection"},
    {"directory", "uri", TEXT, FIELD(ldap_uri), "ldap://127.0.0.1/", 0, 0,
     "LDAP URIs separated by spaces, tried in order"},
    {"directory", "timeout", INT, FIELD(ldap_timeout), "5", 1, 60,
     "seconds for connecting and for each directory operation"},
    {"directory", "starttls", BOOL, FIELD(ldap_starttls), "false", 0, 1,
     "StartTLS on ldap:// URIs"},
    {"directory", "ca_file", TEXT, FIELD(ldap_ca_file), "", 0, 0,
     "CA certificates for verifying the directory; empty: the system's"},
    {"directory", "insecure_skip_verify", BOOL, FIELD(ldap_insecure), "false", 0, 1,
     "do not verify the directory's certificate (never in production)"},
    {"directory", "follow_referrals", BOOL, FIELD(ldap_referrals), "false", 0, 1,
     "chase referrals the directory returns"},
    {"directory", "bind_dn", TEXT, FIELD(ldap_bind_dn), "", 0, 0,
     "service account that searches for users; empty: anonymous"},
    {"directory", "bind_password", TEXT, FIELD(ldap_bind_password), "", 0, 0, "its password"},
    {"directory", "base_dn", TEXT, FIELD(ldap_base_dn), "", 0, 0, "where users are searched"},
    {"directory", "user_filter", TEXT, FIELD(ldap_user_filter), "(uid=%s)", 0, 0,
     "finds a user; %s is the escaped username"},
    {"directory", "display_name_attribute", TEXT, FIELD(ldap_name_attr), "displayName", 0, 0,
     "the user's display name"},
    {"directory", "region_attribute", TEXT, FIELD(ldap_region_attr), "", 0, 0,
     "region code on the user entry; empty: from the nearest unit above that has one"},
    {"directory", "unit_region_attribute", TEXT, FIELD(ldap_unit_region_attr), "description", 0,
     0, "region code on organizational units"},
    {"directory", "group_mode", TEXT, FIELD(ldap_group_mode), "memberof", 0, 0,
     "memberof (the user's memberOf values) or search (search groups for the user)"},
    {"directory", "group_base", TEXT, FIELD(ldap_group_base), "", 0, 0,
     "where groups are searched; empty: base_dn"},
    {"directory", "group_filter", TEXT, FIELD(ldap_group_filter),
     "(|(&(objectClass=groupOfNames)(member=%s))(&(objectClass=groupOfUniqueNames)"
     "(uniqueMember=%s)))",
     0, 0, "finds the groups of a member; %s is the escaped member value"},
    {"directory", "group_member", TEXT, FIELD(ldap_group_member), "dn", 0, 0,
     "what groups list as members: dn, or uid (posixGroup memberUid)"},
    {"directory", "nested_depth", INT, FIELD(ldap_nested_depth), "3", 0, 10,
     "how deep groups within groups are followed"},
    {"roles", "viewer", LIST, FIELD(roles_viewer), "", 0, 0,
     "groups (DNs or names, separated by |) whose members read their jurisdiction"},
    {"roles", "clerk", LIST, FIELD(roles_clerk), "", 0, 0, "groups whose members enter data"},
    {"roles", "approver", LIST, FIELD(roles_approver), "", 0, 0,
     "groups whose members decide workflow steps"},
    {"roles", "admin", LIST, FIELD(roles_admin), "", 0, 0,
     "groups whose members administer their jurisdiction"},
    {"roles", "personal_data", ROLES, FIELD(personal_data_roles), "clerk,admin", 0, 0,
     "roles (comma-separated) that see ID and mobile numbers of cadres unmasked"},
    {"session", "idle_timeout", INT, FIELD(session_idle_minutes), "30", 1, 1440,
     "minutes without a request after which a session ends"},
    {"session", "absolute_timeout", INT, FIELD(session_absolute_minutes), "480", 1, 10080,
     "minutes after login after which a session ends"},
    {"session", "refresh_interval", INT, FIELD(session_refresh_minutes), "5", 1, 120,
     "minutes between re-reading roles and region from the directory"},
    {"session", "outage_grace", INT, FIELD(session_outage_minutes), "15", 0, 240,
     "minutes sessions keep working while the directory cannot be reached"},
    {"session", "cache_seconds", INT, FIELD(session_cache_seconds), "2", 0, 60,
     "seconds a worker trusts a session it checked without asking the database again; a "
     "logout or revocation reaches the other workers within this time (0: ask every time)"},
    {"session", "cookie_name", TEXT, FIELD(session_cookie), "jiceng_session", 0, 0,
     "name of the session cookie"},
    {"session", "cookie_secure", BOOL, FIELD(session_cookie_secure), "true", 0, 1,
     "send the cookie over HTTPS only; false only for a plain-HTTP demo"},
    {"session", "origin", TEXT, FIELD(session_origin), "", 0, 0,
     "the site's origin for the CSRF check, e.g. https://jiceng.example.gov.cn"},
    {"login", "max_failures", INT, FIELD(login_max_failures), "5", 2, 100,
     "failed logins within the window that lock a username or an address"},
    {"login", "failure_window", INT, FIELD(login_window_minutes), "10", 1, 1440,
     "minutes over which failures are counted"},
    {"login", "lockout", INT, FIELD(login_lockout_minutes), "15", 1, 1440,
     "minutes a lock lasts"},
    {"import", "max_file_mib", INT, FIELD(import_max_mib), "20", 1, 1024,
     "largest file (MiB) an import through the API takes; nginx's client_max_body_size for "
     "/api/v1/imports/ must be the same"},
};

enum { SETTING_COUNT = sizeof settings / sizeof settings[0] };

static const struct setting *find_setting(const char *section, const char *key)
{
    for (int i = 0; i < SETTING_COUNT; i++)
        if (strcmp(settings[i].section, section) == 0 && strcmp(settings[i].key, key) == 0)
            return &settings[i];
    return NULL;
}

/* Stores value into the field of s; returns NULL, or why the value is refused. */
static const char *store(struct config *cfg, const struct setting *s, const char *value)
{
    void *field = (char *)cfg + s->offset;
    if (s->type == TEXT || s->type == LIST) {
        char *old = *(char **)field, *copy;
        bool extend = s->type == LIST && old && old[0]; /* lists default to empty */
        if (asprintf(&copy, "%s%s%s", extend ? old : "", extend ? "|" : "", value) < 0)
            out_of_memory();
        free(old);
        *(char **)field = copy;
        return NULL;
    }
    if (s->type == ROLES) {
        unsigned roles;
        if (roles_parse(value, &roles) != 0)
            return "expected role names separated by commas: viewer, clerk, approver, admin";
        *(unsigned *)field = roles;
        return NULL;
    }
    if (s->type == BOOL) {
        bool yes = strcmp(value, "true") == 0 || strcmp(value, "yes") == 0;
        if (!yes && strcmp(value, "false") != 0 && strcmp(value, "no") != 0)
            return "expected true or false";
        *(int *)field = yes;
        return NULL;
    }
    char *end;
    errno = 0;
    long n = strtol(value, &end, s->type == OCTAL ? 8 : 10);
    if (*value == '\0' || *end != '\0' || errno)
        return s->type == OCTAL ? "expected an octal number" : "expected a whole number";
    if (n < s->min || n > s->max)
        return "out of range";
    *(int *)field = (int)n;
    return NULL;
}

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (int i = 0; i < SETTING_COUNT; i++)
        store(cfg, &settings[i], settings[i].fallback);
}

struct load_state {
    struct config *cfg;
    char *err;
    size_t errlen;
};

static int on_setting(void *user, const char *section, const char *key, const char *value)
{
    struct load_state *st = user;
    const struct setting *s = find_setting(section, key);
    const char *why = s ? store(st->cfg, s, value) : "unknown setting";
    if (!why)
        return 1;
    if (s && s->type == OCTAL)
        snprintf(st->err, st->errlen, "[%s] %s = %s: %s (octal, %lo to %lo)", section, key,
                 value, why, s->min, s->max);
    else if (s && s->type == INT)
        snprintf(st->err, st->errlen, "[%s] %s = %s: %s (%ld to %ld)", section, key, value, why,
                 s->min, s->max);
    else
        snprintf(st->err, st->errlen, "[%s] %s: %s", section, key, why);
    return 0; /* inih stops and returns this line's number */
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
    char why[512] = "";
    struct load_state st = {cfg, why, sizeof why};
    cfg->path = path;
    int line = ini_parse(path, on_setting, &st);
    if (line == 0)
        return 0;
    if (line == -1)
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    else if (line == -2)
        snprintf(err, errlen, "%s: out of memory", path);
    else if (why[0])
        snprintf(err, errlen, "%s:%d: %s", path, line, why);
    else
        snprintf(err, errlen, "%s:%d: not a setting, section or comment", path, line);
    return -1;
}

void config_describe(FILE *out)
{
    const char *section = "";
    for (int i = 0; i < SETTING_COUNT; i++) {
        const struct setting *s = &settings[i];
        if (strcmp(section, s->section) != 0)
            fprintf(out, "%s[%s]\n", i ? "\n" : "", section = s->section);
        fprintf(out, "  %-16s %s", s->key, s->help);
        if (s->type == TEXT || s->type == LIST || s->type == BOOL || s->type == ROLES)
            fprintf(out, " (default %s)\n", s->fallback[0] ? s->fallback : "empty");
        else if (s->type == OCTAL)
            fprintf(out, " (octal, %lo to %lo, default %s)\n", s->min, s->max, s->fallback);
        else
            fprintf(out, " (%ld to %ld, default %s)\n", s->min, s->max, s->fallback);
    }
}

void config_free(struct config *cfg)
{
    for (int i = 0; i < SETTING_COUNT; i++)
        if (settings[i].type == TEXT || settings[i].type == LIST) {
            char **field = (char **)((char *)cfg + settings[i].offset);
            free(*field);
            *field = NULL;
        }
}

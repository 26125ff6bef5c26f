/* The settings table: every setting described once, read from an INI file with inih. */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

enum type { TEXT, INT, OCTAL };

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
    if (s->type == TEXT) {
        char *copy = strdup(value);
        if (!copy)
            out_of_memory();
        free(*(char **)field);
        *(char **)field = copy;
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
        if (s->type == TEXT)
            fprintf(out, " (default \"%s\")\n", s->fallback);
        else if (s->type == OCTAL)
            fprintf(out, " (octal, %lo to %lo, default %s)\n", s->min, s->max, s->fallback);
        else
            fprintf(out, " (%ld to %ld, default %s)\n", s->min, s->max, s->fallback);
    }
}

void config_free(struct config *cfg)
{
    for (int i = 0; i < SETTING_COUNT; i++)
        if (settings[i].type == TEXT) {
            char **field = (char **)((char *)cfg + settings[i].offset);
            free(*field);
            *field = NULL;
        }
}

/* The settings of one Jiceng installation, read once at start from an INI file. */
#ifndef JICENG_CONFIG_H
#define JICENG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct config {
    /* [server] */
    char *listen;       /* unix socket path (starts with '/') or host:port */
    int socket_mode;    /* permissions of a unix socket, octal in the file */
    int workers;        /* request threads, each with its own database connection */
    char *access_log;   /* file path, or "-" for standard error */

    /* [database] */
    char *db_socket;    /* unix socket; when empty, host and port are used */
    char *db_host;
    int db_port;
    char *db_name;
    char *db_user;      /* the application's account: no DDL, append-only audit */
    char *db_password;
    char *db_admin_user; /* migrations and imports; falls back to db_user */
    char *db_admin_password;
    int db_connect_timeout; /* seconds */

    /* [directory] */
    char *ldap_uri;     /* one or more URIs separated by spaces */
    int ldap_timeout;   /* seconds, for connect and for each operation */

    const char *path;   /* the file these came from, for messages */
};

/* Fills *cfg with the defaults of every setting. */
void config_defaults(struct config *cfg);

/* Reads the INI file at path over the defaults. Returns 0, or -1 with a message naming the
 * file, the line and the setting in err. Unknown sections and keys are errors, so a typo is
 * never silently ignored. */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

/* Writes every setting with its type, default and bounds: the reference for operators. */
void config_describe(FILE *out);

/* Frees the strings config_load allocated. */
void config_free(struct config *cfg);

#endif

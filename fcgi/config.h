/* The settings of one Jiceng installation, read once at start from an INI file. */
#ifndef JICENG_CONFIG_H
#define JICENG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { IMPORT_MAX_MIB_DEFAULT = 20 };

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
    char *ldap_uri;     /* one or more URIs separated by spaces, tried in order */
    int ldap_timeout;   /* seconds, for connect and for each operation */
    int ldap_starttls;  /* 1: StartTLS on ldap:// URIs (ldaps:// is TLS anyway) */
    char *ldap_ca_file; /* CA certificates to verify the server with; empty: system store */
    int ldap_insecure;  /* 1: do not verify the server certificate (logged at start) */
    int ldap_referrals; /* 1: chase referrals */
    char *ldap_bind_dn; /* service account that searches; empty: anonymous search */
    char *ldap_bind_password;
    char *ldap_base_dn;       /* where users are searched */
    char *ldap_user_filter;   /* %s is the escaped username, e.g. (uid=%s) */
    char *ldap_name_attr;     /* display name */
    char *ldap_region_attr;   /* region code on the user entry; empty: from the units above */
    char *ldap_unit_region_attr; /* region code on organizational units */
    char *ldap_group_mode;    /* "memberof" or "search" */
    char *ldap_group_base;    /* where groups are searched */
    char *ldap_group_filter;  /* %s is the escaped member value, e.g. (member=%s) */
    char *ldap_group_member;  /* what a group lists: "dn" or "uid" (posixGroup memberUid) */
    int ldap_nested_depth;    /* how deep nested groups are followed; 0: not at all */

    /* [roles]: group DNs or group names, separated by '|' */
    char *roles_viewer, *roles_clerk, *roles_approver, *roles_admin;
    unsigned personal_data_roles; /* enum role bits that see ID and mobile numbers unmasked */

    /* [session] */
    int session_idle_minutes;
    int session_absolute_minutes;
    int session_refresh_minutes;  /* re-read roles and region from the directory this often */
    int session_outage_minutes;   /* keep sessions through a directory outage this long */
    int session_cache_seconds;    /* a worker trusts a session it checked this long */
    char *session_cookie;         /* cookie name */
    int session_cookie_secure;    /* 0 only for the plain-HTTP demo */
    char *session_origin;         /* the site's own origin, e.g. https://jiceng.example.gov.cn;
                                     empty: taken from the request's Host */

    /* [login] */
    int login_max_failures;       /* failures within the window that lock */
    int login_window_minutes;
    int login_lockout_minutes;

    /* [import] */
    int import_max_mib;           /* largest file an import takes; nginx's limit must match */

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

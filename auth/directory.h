/* The LDAP directory: checking a login (search, then bind as the user), reading the identity
 * (display name, jurisdiction, roles, account state) and re-reading it while a session lives.
 *
 * Every setting is in [directory] and [roles] (see `jiceng --help`): users are found under
 * base_dn with user_filter, so an OpenLDAP directory ((uid=%s), groupOfNames, memberOf, region
 * codes on OUs) and an Active Directory ((sAMAccountName=%s), memberOf, userAccountControl) are
 * both a matter of configuration. */
#ifndef JICENG_DIRECTORY_H
#define JICENG_DIRECTORY_H

#include <stddef.h>

#include "region_code.h"

struct arena;
struct config;

/* A worker thread's view of the directory: its search connection, bound as the service account
 * and kept across requests (opened again when it breaks), and a second connection used only
 * for binding as users. One per thread: not safe to share. */
struct directory;

/* Never NULL; connects at first use. cfg must outlive it and should have passed
 * directory_check_config. libldap writes to sockets a server may have closed, so the program
 * must ignore SIGPIPE (serve and check-login do). */
struct directory *directory_new(const struct config *cfg);

/* Closes the connections and frees d; NULL is allowed. */
void directory_free(struct directory *d);

/* What a login or a refresh came to. Each has its own message (auth_result_message). */
enum auth_result {
    AUTH_OK,
    AUTH_INVALID,          /* wrong password, unknown user, bad input: never told apart */
    AUTH_LOCKED,           /* the directory locked the account (password policy, AD lockout) */
    AUTH_DISABLED,         /* Active Directory: the account is disabled */
    AUTH_EXPIRED,          /* Active Directory: accountExpires has passed */
    AUTH_PASSWORD_EXPIRED, /* the password expired or must be changed after a reset */
    AUTH_NO_ROLE,          /* right password, but no group maps to a role */
    AUTH_NO_REGION,        /* right password, but no region code found for the user */
    AUTH_UNAVAILABLE,      /* no directory server could be reached or answered in time */
    AUTH_ERROR,            /* the directory refused the service account, or answered oddly */
};

/* Who logged in. Strings live in the arena passed to the call that filled it. */
struct identity {
    const char *username;     /* as typed at login; "" after a refresh */
    const char *dn;           /* the user's entry */
    const char *display_name; /* display_name_attribute, else the login name or first RDN */
    char region[13];          /* region code, 2/4/6/9/12 digits */
    enum region_level level;  /* follows from the code */
    unsigned roles;           /* enum role bits (roles.h), never 0 when AUTH_OK */
};

/* Checks username and password against the directory. The username must be 1 to 256 bytes of
 * UTF-8 and the password 1 to 1024 bytes of UTF-8, or the answer is AUTH_INVALID without any
 * directory traffic (an empty password would be an anonymous bind, which "succeeds").
 *
 * The service account searches base_dn with user_filter, the username escaped; exactly one entry
 * must match. Then a simple bind as that entry with the password, on the bind connection, with
 * the password-policy control. For an unknown user a bind is still made, against a DN that
 * cannot exist, so that the answer costs about what a wrong password costs; AUTH_INVALID either
 * way. After a successful bind: account state, then roles and region.
 *
 * Fills *out only when AUTH_OK (zeroed otherwise). Logs what the operator needs to know
 * (unreachable servers, several matching entries, configuration errors), never the password. */
enum auth_result directory_login(struct directory *d, struct arena *a, const char *username,
                                 const char *password, struct identity *out);

/* Re-reads the identity of the entry dn with the service account only (no password): for a
 * session that lives longer than refresh_interval. AUTH_UNAVAILABLE (and AUTH_ERROR) mean the
 * directory could not say: keep the session for now. AUTH_INVALID (entry gone or outside
 * base_dn), AUTH_DISABLED, AUTH_EXPIRED, AUTH_LOCKED (pwdAccountLockedTime is set), AUTH_NO_ROLE
 * and AUTH_NO_REGION mean the directory no longer vouches for the user: end the session. Fills
 * *out only when AUTH_OK; out->username is then "". */
enum auth_result directory_refresh(struct directory *d, struct arena *a, const char *dn,
                                   struct identity *out);

/* The identity of another user, found by username with the service account only (no password):
 * for handing work to a colleague. AUTH_OK with *out filled (username as given), AUTH_INVALID
 * when there is no such user, or what the directory says against the account. */
enum auth_result directory_lookup(struct directory *d, struct arena *a, const char *username,
                                  struct identity *out);

/* The message for the user, in Chinese, e.g. 用户名或密码错误 for AUTH_INVALID. Static. */
const char *auth_result_message(enum auth_result r);

/* A short English name for logs and tools: "ok", "invalid", "locked", "disabled", "expired",
 * "password_expired", "no_role", "no_region", "unavailable", "error". Static. */
const char *auth_result_name(enum auth_result r);

/* Checks the [directory] and [roles] settings once at start, without connecting: the URIs, DNs
 * and filters parse, filters hold %s, the modes are known, some group maps to a role, the TLS
 * context (and CA file) loads. Logs a warning for insecure_skip_verify and for passwords that
 * would cross the network in clear text. Returns 0, or -1 with the reason in err. */
int directory_check_config(const struct config *cfg, char *err, size_t errlen);

/* Asks the first server that answers for its root DSE, within the configured timeout. Returns 0
 * when one answered, or -1 with the reason in err. Opens and closes its own connection. */
int directory_ping(const struct config *cfg, char *err, size_t errlen);

#endif

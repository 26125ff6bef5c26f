/* Inside the directory module (directory.c, login.c, identity.c): the per-thread state, the
 * user entry as read, and the searches and binds with reconnection. Not for other callers. */
#ifndef JICENG_DIRECTORY_PRIVATE_H
#define JICENG_DIRECTORY_PRIVATE_H

#include <ldap.h>
#include <stdbool.h>

#include "directory.h"
#include "ldap_conn.h"

struct role_map;

struct directory {
    const struct config *cfg;
    struct role_map *roles;
    LDAP *search;        /* bound as the service account; NULL until used or after it broke */
    LDAP *bind;          /* users' binds only, never a search */
    bool unavailable;    /* the last attempt found no server: logged once, until one answers */
    char *decoy_parent;  /* "cn=jiceng-no-such-entry-<random>,<base_dn>", which never exists:
                            unknown users' binds go below it */
    char *user_attrs[8]; /* what is read from a user's entry */
};

/* A user's entry as the service account reads it. Strings and arrays in the request arena;
 * arrays end with NULL and are never NULL themselves. */
struct user_entry {
    const char *dn;
    const char *name;            /* display_name_attribute, or NULL */
    const char *uid;             /* uid, or NULL */
    char **regions;              /* region_attribute, when that is set */
    char **member_of;            /* memberOf, in group_mode memberof */
    const char *account_control; /* Active Directory userAccountControl, or NULL */
    const char *account_expires; /* Active Directory accountExpires, or NULL */
    const char *locked_time;     /* OpenLDAP password policy pwdAccountLockedTime, or NULL */
};

/* Searches on the service account's connection, opening and binding it first when needed. A
 * kept connection that turns out broken (the server restarted, or closed it when idle) is
 * replaced and the search tried once more, so libldap's failover picks the next server.
 * Logs unreachable servers (once, until one answers again) and a refused service account.
 * Returns an LDAP result code; *res is set (maybe NULL) and is the caller's to ldap_msgfree,
 * whatever the code; its entries belong to d->search. */
int dir_search(struct directory *d, const char *base, int scope, const char *filter,
               char **attrs, int sizelimit, LDAPMessage **res);

/* Binds as dn on the bind connection, with the same reconnection as dir_search. Returns
 * out->rc. */
int dir_bind(struct directory *d, const char *dn, const char *password,
             struct bind_outcome *out);

/* The values of attr in an entry of d->search as strings in a, ending with NULL. */
char **dir_values(struct directory *d, struct arena *a, LDAPMessage *entry, const char *attr);

/* What a failed dir_search means for the caller: AUTH_UNAVAILABLE when the directory could not
 * be reached, AUTH_ERROR otherwise. Logs the errors dir_search did not (a search that failed on
 * an open connection) with what was being done ("searching for groups"). */
enum auth_result dir_failure(struct directory *d, int rc, const char *what);

/* Reads the attributes the module needs from a user entry of d->search. */
void dir_read_user(struct directory *d, struct arena *a, LDAPMessage *entry,
                   struct user_entry *u);

/* What a user's bind means: AUTH_OK, AUTH_INVALID, or the state the directory gave as the reason
 * (password-policy control, Active Directory's "data NNN" in the diagnostic text), or
 * AUTH_UNAVAILABLE. */
enum auth_result dir_bind_result(struct directory *d, const struct bind_outcome *b,
                                 const char *dn);

/* What the entry says about the account: Active Directory's disabled flag and accountExpires,
 * and with check_lock the password policy's pwdAccountLockedTime (at login the bind reports a
 * lock; a refresh makes no bind). */
enum auth_result dir_account_state(const struct user_entry *u, bool check_lock);

/* Fills out->dn, display_name (fallback_name when the entry has none), region, level and roles
 * from u, reading groups and units above the user as configured. Returns AUTH_OK,
 * AUTH_NO_ROLE, AUTH_NO_REGION, or the failure of a search. */
enum auth_result dir_identity(struct directory *d, struct arena *a, const struct user_entry *u,
                              const char *fallback_name, struct identity *out);

#endif

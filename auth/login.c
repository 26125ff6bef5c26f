/* Logging in: the checks of the input, the search for the user, the bind as the user, what the
 * directory says about the account; and re-reading the identity of a live session. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "directory.h"
#include "directory_private.h"
#include "ldap_escape.h"
#include "log.h"
#include "utf8.h"

enum { MAX_USERNAME = 256, MAX_PASSWORD = 1024 };

enum { UAC_ACCOUNTDISABLE = 0x2 }; /* a flag of Active Directory's userAccountControl */

/* Windows FILETIME (100 ns intervals since 1601-01-01) of the Unix epoch. */
static const long long FILETIME_UNIX_EPOCH = 116444736000000000LL;

static bool acceptable(const char *s, size_t max)
{
    size_t len = strlen(s);
    return len > 0 && len <= max && utf8_valid(s, len);
}

/* A copy of s for a log line, control characters replaced, so input cannot forge lines. */
static const char *printable(struct arena *a, const char *s)
{
    char *copy = arena_strdup(a, s);
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return copy;
}

void dir_read_user(struct directory *d, struct arena *a, LDAPMessage *entry, struct user_entry *u)
{
    const struct config *cfg = d->cfg;
    char *dn = ldap_get_dn(d->search, entry);
    u->dn = arena_strdup(a, dn ? dn : "");
    ldap_memfree(dn);
    u->name = dir_values(d, a, entry, cfg->ldap_name_attr)[0];
    u->uid = dir_values(d, a, entry, "uid")[0];
    u->regions = cfg->ldap_region_attr[0] ? dir_values(d, a, entry, cfg->ldap_region_attr)
                                           : arena_zalloc(a, sizeof *u->regions);
    u->member_of = dir_values(d, a, entry, "memberOf");
    u->account_control = dir_values(d, a, entry, "userAccountControl")[0];
    u->account_expires = dir_values(d, a, entry, "accountExpires")[0];
    u->locked_time = dir_values(d, a, entry, "pwdAccountLockedTime")[0];
}

/* Finds the one entry under base_dn that user_filter matches for username. None, or more than
 * one (logged: the filter or the directory needs fixing), is AUTH_INVALID. */
static enum auth_result find_user(struct directory *d, struct arena *a, const char *username,
                                  struct user_entry *u)
{
    const struct config *cfg = d->cfg;
    const char *filter = auth_filter_build(a, cfg->ldap_user_filter, username, strlen(username));
    LDAPMessage *res = NULL;
    /* A size limit of two is enough to know that a name is ambiguous. */
    int rc = dir_search(d, cfg->ldap_base_dn, LDAP_SCOPE_SUBTREE, filter, d->user_attrs, 2, &res);
    int count = res ? ldap_count_entries(d->search, res) : 0;
    enum auth_result r = AUTH_INVALID;
    if (rc == LDAP_SIZELIMIT_EXCEEDED || (rc == LDAP_SUCCESS && count > 1))
        log_warn("directory: %s matches more than one entry under %s; nobody can log in with "
                 "that name until it matches one", printable(a, filter), cfg->ldap_base_dn);
    else if (rc == LDAP_REFERRAL)
        log_warn("directory: base_dn %s is a referral, which is not followed", cfg->ldap_base_dn);
    else if (rc == LDAP_SUCCESS && count == 1) {
        dir_read_user(d, a, ldap_first_entry(d->search, res), u);
        r = AUTH_OK;
    } else if (rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT)
        r = dir_failure(d, rc, "searching for a user");
    /* Search references (referrals to other servers) are not entries: never followed here
     * unless follow_referrals let libldap chase them. */
    ldap_msgfree(res);
    return r;
}

/* For a user who does not exist, or not once: a bind like the one a wrong password gets, below
 * an entry that does not exist, so that the answer takes about as long and says the same. */
static enum auth_result decoy_bind(struct directory *d, struct arena *a, const char *username,
                                   const char *password)
{
    const char *dn = auth_dn_child(a, "cn", username, d->decoy_parent);
    struct bind_outcome b;
    int rc = dir_bind(d, dn ? dn : d->decoy_parent, password, &b);
    return auth_conn_down(rc) ? AUTH_UNAVAILABLE : AUTH_INVALID;
}

/* OpenLDAP's password policy says why a bind failed in a response control; Active Directory
 * says it in the diagnostic text ("...AcceptSecurityContext error, data 775, v4563"). Both
 * report such states only for the right password, except a lock. */
enum auth_result dir_bind_result(struct directory *d, const struct bind_outcome *b,
                                 const char *dn)
{
    static const struct {
        const char *code;
        enum auth_result result;
    } ad[] = {{"data 775", AUTH_LOCKED},           {"data 533", AUTH_DISABLED},
              {"data 701", AUTH_EXPIRED},          {"data 532", AUTH_PASSWORD_EXPIRED},
              {"data 773", AUTH_PASSWORD_EXPIRED}};
    if (b->rc == LDAP_SUCCESS)
        return b->ppolicy == PP_changeAfterReset ? AUTH_PASSWORD_EXPIRED : AUTH_OK;
    if (auth_conn_down(b->rc))
        return AUTH_UNAVAILABLE;
    if (b->rc != LDAP_INVALID_CREDENTIALS) {
        if (d->bind) /* else it could not be opened, which dir_bind logged */
            log_warn("directory: binding as %s: %s: %s", dn, ldap_err2string(b->rc), b->diag);
        return b->rc == LDAP_UNWILLING_TO_PERFORM ? AUTH_INVALID : AUTH_ERROR;
    }
    if (b->ppolicy == PP_accountLocked)
        return AUTH_LOCKED;
    if (b->ppolicy == PP_passwordExpired || b->ppolicy == PP_changeAfterReset)
        return AUTH_PASSWORD_EXPIRED;
    for (size_t i = 0; i < sizeof ad / sizeof ad[0]; i++)
        if (strstr(b->diag, ad[i].code))
            return ad[i].result;
    return AUTH_INVALID;
}

/* True when an accountExpires value (a FILETIME; 0 and the largest 64-bit number mean never)
 * has passed. A value that is not a number counts as passed: better refused than let in. */
static bool expired(const char *filetime, const char *dn)
{
    char *end;
    errno = 0;
    long long t = strtoll(filetime, &end, 10);
    if (errno || end == filetime || *end) {
        log_warn("directory: %s has accountExpires \"%s\", not a number; taken as expired", dn,
                 filetime);
        return true;
    }
    if (t == 0 || t == LLONG_MAX)
        return false;
    return t <= (long long)time(NULL) * 10000000LL + FILETIME_UNIX_EPOCH;
}

enum auth_result dir_account_state(const struct user_entry *u, bool check_lock)
{
    if (u->account_control) {
        char *end;
        errno = 0;
        long long flags = strtoll(u->account_control, &end, 10);
        if (errno || end == u->account_control || *end || flags & UAC_ACCOUNTDISABLE)
            return AUTH_DISABLED;
    }
    if (u->account_expires && expired(u->account_expires, u->dn))
        return AUTH_EXPIRED;
    if (check_lock && u->locked_time)
        return AUTH_LOCKED;
    return AUTH_OK;
}

enum auth_result directory_login(struct directory *d, struct arena *a, const char *username,
                                 const char *password, struct identity *out)
{
    memset(out, 0, sizeof *out);
    if (!acceptable(username, MAX_USERNAME) || !acceptable(password, MAX_PASSWORD))
        return AUTH_INVALID;
    struct user_entry u;
    enum auth_result r = find_user(d, a, username, &u);
    if (r == AUTH_INVALID)
        return decoy_bind(d, a, username, password);
    if (r != AUTH_OK)
        return r;
    struct bind_outcome b;
    dir_bind(d, u.dn, password, &b);
    r = dir_bind_result(d, &b, u.dn);
    if (r == AUTH_OK)
        r = dir_account_state(&u, false);
    if (r == AUTH_OK)
        r = dir_identity(d, a, &u, username, out);
    if (r != AUTH_OK) {
        memset(out, 0, sizeof *out);
        return r;
    }
    out->username = arena_strdup(a, username);
    return AUTH_OK;
}

enum auth_result directory_refresh(struct directory *d, struct arena *a, const char *dn,
                                   struct identity *out)
{
    memset(out, 0, sizeof *out);
    if (!dn || !dn[0] || !auth_dn_within(a, dn, d->cfg->ldap_base_dn))
        return AUTH_INVALID;
    LDAPMessage *res = NULL;
    int rc = dir_search(d, dn, LDAP_SCOPE_BASE, "(objectClass=*)", d->user_attrs, 1, &res);
    LDAPMessage *entry = rc == LDAP_SUCCESS ? ldap_first_entry(d->search, res) : NULL;
    struct user_entry u;
    enum auth_result r = AUTH_INVALID; /* gone, or hidden from the service account */
    if (entry) {
        dir_read_user(d, a, entry, &u);
        r = AUTH_OK;
    } else if (rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT && rc != LDAP_REFERRAL) {
        r = dir_failure(d, rc, "reading a user's entry");
    }
    ldap_msgfree(res);
    if (r == AUTH_OK)
        r = dir_account_state(&u, true);
    if (r == AUTH_OK)
        r = dir_identity(d, a, &u, NULL, out);
    if (r != AUTH_OK) {
        memset(out, 0, sizeof *out);
        return r;
    }
    out->username = "";
    return AUTH_OK;
}

enum auth_result directory_lookup(struct directory *d, struct arena *a, const char *username,
                                  struct identity *out)
{
    memset(out, 0, sizeof *out);
    if (!acceptable(username, MAX_USERNAME))
        return AUTH_INVALID;
    struct user_entry u;
    enum auth_result r = find_user(d, a, username, &u);
    if (r == AUTH_OK)
        r = dir_account_state(&u, true);
    if (r == AUTH_OK)
        r = dir_identity(d, a, &u, username, out);
    if (r != AUTH_OK) {
        memset(out, 0, sizeof *out);
        return r;
    }
    out->username = arena_strdup(a, username);
    return AUTH_OK;
}

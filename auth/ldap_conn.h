/* One connection to the directory: the configured URIs with failover, timeouts, referrals, TLS
 * with certificate verification, StartTLS, and simple binds with the password-policy control. */
#ifndef JICENG_LDAP_CONN_H
#define JICENG_LDAP_CONN_H

#include <ldap.h>
#include <stdbool.h>
#include <stddef.h>

struct config;

/* Makes a handle for cfg's URIs (libldap tries them in order when it connects), with the
 * connect and operation timeouts, referrals off unless configured, and a TLS context of its own
 * that verifies the server's certificate (unless insecure_skip_verify) against ca_file or the
 * system's store. Sends nothing yet. Returns NULL with the reason in err. Close with
 * auth_conn_close. */
LDAP *auth_conn_new(const struct config *cfg, char *err, size_t errlen);

/* Connects to the first URI that answers and, when starttls is on and that URI is ldap://,
 * starts TLS. Returns an LDAP result code; on failure err holds libldap's details (a refused
 * certificate shows here). */
int auth_conn_connect(LDAP *ld, const struct config *cfg, char *err, size_t errlen);

/* What a simple bind answered. */
struct bind_outcome {
    int rc;                          /* LDAP result code */
    LDAPPasswordPolicyError ppolicy; /* from the password-policy response, or PP_noError */
    char diag[256];                  /* the server's diagnostic text (Active Directory puts
                                        "data 775" and the like here) */
};

/* Binds as dn with password (simple bind), sending the password-policy request control, and
 * waits at most timeout seconds. Fills *out and returns out->rc. */
int auth_conn_bind(LDAP *ld, const char *dn, const char *password, int timeout,
                   struct bind_outcome *out);

/* True for the result codes of a server that cannot be reached, a connection that broke or an
 * operation that timed out: the directory is unavailable, not the request wrong. */
bool auth_conn_down(int rc);

/* libldap's text for rc with the handle's diagnostic message, if any, into err. */
void auth_conn_error(LDAP *ld, int rc, char *err, size_t errlen);

/* Unbinds and frees the handle; NULL is allowed. */
void auth_conn_close(LDAP *ld);

#endif

/* Opening directory connections with their timeouts and TLS, and binding on them. */
#include "ldap_conn.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "config.h"

/* TLS settings go on each handle, never on libldap's global defaults, so that what one handle
 * does cannot change another's, and end with a new TLS context built from them. */
static int set_tls(LDAP *ld, const struct config *cfg, char *err, size_t errlen)
{
    int require = cfg->ldap_insecure ? LDAP_OPT_X_TLS_NEVER : LDAP_OPT_X_TLS_DEMAND;
    int rc = ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &require);
    if (rc == LDAP_OPT_SUCCESS && cfg->ldap_ca_file[0])
        rc = ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, cfg->ldap_ca_file);
    int is_server = 0;
    if (rc == LDAP_OPT_SUCCESS)
        rc = ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &is_server);
    if (rc != LDAP_OPT_SUCCESS) {
        snprintf(err, errlen, "cannot set up TLS for the directory%s%s: %s",
                 cfg->ldap_ca_file[0] ? " with CA file " : "", cfg->ldap_ca_file,
                 ldap_err2string(rc));
        return -1;
    }
    return 0;
}

/* True when some connection may use TLS: StartTLS is on or a URI is ldaps://. */
static bool uses_tls(const struct config *cfg)
{
    return cfg->ldap_starttls || strcasestr(cfg->ldap_uri, "ldaps://") != NULL;
}

LDAP *auth_conn_new(const struct config *cfg, char *err, size_t errlen)
{
    LDAP *ld = NULL;
    int rc = ldap_initialize(&ld, cfg->ldap_uri);
    if (rc != LDAP_SUCCESS) {
        snprintf(err, errlen, "directory URI \"%s\": %s", cfg->ldap_uri, ldap_err2string(rc));
        return NULL;
    }
    int version = LDAP_VERSION3;
    struct timeval timeout = {cfg->ldap_timeout, 0};
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout); /* per URI tried */
    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &timeout);         /* per synchronous operation */
    /* Chasing a referral would send our searches to whatever server the directory's data
     * names; off unless the operator asks for it (libldap then binds there anonymously). */
    ldap_set_option(ld, LDAP_OPT_REFERRALS, cfg->ldap_referrals ? LDAP_OPT_ON : LDAP_OPT_OFF);
    if (uses_tls(cfg) && set_tls(ld, cfg, err, errlen) != 0) {
        ldap_unbind_ext_s(ld, NULL, NULL);
        return NULL;
    }
    return ld;
}

void auth_conn_error(LDAP *ld, int rc, char *err, size_t errlen)
{
    char *diag = NULL;
    if (ld)
        ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag);
    snprintf(err, errlen, "%s%s%s", ldap_err2string(rc), diag && diag[0] ? ": " : "",
             diag ? diag : "");
    ldap_memfree(diag);
}

int auth_conn_connect(LDAP *ld, const struct config *cfg, char *err, size_t errlen)
{
    int rc = ldap_connect(ld);
    /* ldaps:// is TLS from the start; StartTLS on it again would be refused. */
    if (rc == LDAP_SUCCESS && cfg->ldap_starttls && !ldap_tls_inplace(ld))
        rc = ldap_start_tls_s(ld, NULL, NULL);
    if (rc == LDAP_SUCCESS)
        return rc;
    auth_conn_error(ld, rc, err, errlen);
    /* libldap reports a refused certificate as a server it cannot contact. */
    size_t len = strlen(err);
    if (uses_tls(cfg) && (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR) && len < errlen)
        snprintf(err + len, errlen - len, " (if a server is up, its certificate may not verify "
                                          "against %s)",
                 cfg->ldap_ca_file[0] ? cfg->ldap_ca_file : "the system's CA certificates");
    return rc;
}

/* Reads the result of a bind: its code, diagnostic text and password-policy response. */
static int read_bind_result(LDAP *ld, LDAPMessage *res, struct bind_outcome *out)
{
    LDAPControl **controls = NULL;
    char *diag = NULL;
    int code = LDAP_OTHER;
    int rc = ldap_parse_result(ld, res, &code, NULL, &diag, NULL, &controls, 1);
    if (rc == LDAP_SUCCESS)
        rc = code;
    snprintf(out->diag, sizeof out->diag, "%s", diag ? diag : "");
    LDAPControl *pp = ldap_control_find(LDAP_CONTROL_PASSWORDPOLICYRESPONSE, controls, NULL);
    ber_int_t expire, grace;
    if (pp && ldap_parse_passwordpolicy_control(ld, pp, &expire, &grace, &out->ppolicy) !=
                  LDAP_SUCCESS)
        out->ppolicy = PP_noError;
    ldap_controls_free(controls);
    ldap_memfree(diag);
    return rc;
}

int auth_conn_bind(LDAP *ld, const char *dn, const char *password, int timeout,
                   struct bind_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->ppolicy = PP_noError;
    /* The synchronous bind calls drop the response controls, where the password policy
     * says why a bind failed; so send the request and read the result ourselves. */
    LDAPControl *request = NULL;
    int rc = ldap_create_passwordpolicy_control(ld, &request);
    LDAPControl *controls[] = {request, NULL};
    struct berval cred = {strlen(password), (char *)password};
    int msgid = -1;
    if (rc == LDAP_SUCCESS)
        rc = ldap_sasl_bind(ld, dn, LDAP_SASL_SIMPLE, &cred, controls, NULL, &msgid);
    ldap_control_free(request);
    if (rc != LDAP_SUCCESS) {
        auth_conn_error(ld, rc, out->diag, sizeof out->diag);
        return out->rc = rc;
    }
    struct timeval tv = {timeout, 0};
    LDAPMessage *res = NULL;
    int got = ldap_result(ld, msgid, LDAP_MSG_ALL, &tv, &res);
    if (got == 0) {
        ldap_abandon_ext(ld, msgid, NULL, NULL);
        snprintf(out->diag, sizeof out->diag, "no answer to a bind within %d s", timeout);
        return out->rc = LDAP_TIMEOUT;
    }
    if (got < 0) {
        ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &rc);
        auth_conn_error(ld, rc, out->diag, sizeof out->diag);
        return out->rc = rc;
    }
    return out->rc = read_bind_result(ld, res, out);
}

bool auth_conn_down(int rc)
{
    return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT ||
           rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY || rc == LDAP_TIMELIMIT_EXCEEDED;
}

void auth_conn_close(LDAP *ld)
{
    if (ld)
        ldap_unbind_ext_s(ld, NULL, NULL);
}

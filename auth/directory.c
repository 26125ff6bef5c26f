/* Connecting to the LDAP directory with timeouts; the login issue builds search and bind here. */
#include "directory.h"

#include <ldap.h>
#include <sys/time.h>
#include <stdio.h>

#include "config.h"

/* Opens a connection with the configured URIs (libldap tries them in order) and timeouts. */
static LDAP *open_connection(const struct config *cfg, char *err, size_t errlen)
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
    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &timeout);
    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
    return ld;
}

int directory_ping(const struct config *cfg, char *err, size_t errlen)
{
    LDAP *ld = open_connection(cfg, err, errlen);
    if (!ld)
        return -1;
    char *attrs[] = {"namingContexts", NULL};
    struct timeval timeout = {cfg->ldap_timeout, 0};
    LDAPMessage *result = NULL;
    int rc = ldap_search_ext_s(ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL,
                               &timeout, 1, &result);
    ldap_msgfree(result);
    ldap_unbind_ext_s(ld, NULL, NULL);
    if (rc != LDAP_SUCCESS) {
        snprintf(err, errlen, "directory %s: %s", cfg->ldap_uri, ldap_err2string(rc));
        return -1;
    }
    return 0;
}

/* What binds and account attributes mean, for directories the integration tests cannot run
 * (Active Directory's diagnostics), and the users' messages. */
#include <string.h>

#include "check.h"
#include "directory_private.h"

static struct bind_outcome outcome(int rc, LDAPPasswordPolicyError pp, const char *diag)
{
    struct bind_outcome b = {.rc = rc, .ppolicy = pp};
    snprintf(b.diag, sizeof b.diag, "%s", diag);
    return b;
}

static enum auth_result bind_says(int rc, LDAPPasswordPolicyError pp, const char *diag)
{
    struct directory d = {0}; /* no bind connection: nothing is logged */
    struct bind_outcome b = outcome(rc, pp, diag);
    return dir_bind_result(&d, &b, "cn=someone,dc=example");
}

static void test_bind_results(void)
{
    CHECK_INT(bind_says(LDAP_SUCCESS, PP_noError, ""), AUTH_OK);
    CHECK_INT(bind_says(LDAP_INVALID_CREDENTIALS, PP_noError, ""), AUTH_INVALID);
    /* OpenLDAP password policy */
    CHECK_INT(bind_says(LDAP_INVALID_CREDENTIALS, PP_accountLocked, ""), AUTH_LOCKED);
    CHECK_INT(bind_says(LDAP_INVALID_CREDENTIALS, PP_passwordExpired, ""), AUTH_PASSWORD_EXPIRED);
    CHECK_INT(bind_says(LDAP_SUCCESS, PP_changeAfterReset, ""), AUTH_PASSWORD_EXPIRED);
    /* Active Directory's sub-codes of invalidCredentials */
    static const struct {
        const char *code;
        enum auth_result want;
    } cases[] = {{"52e", AUTH_INVALID},          {"525", AUTH_INVALID},
                 {"775", AUTH_LOCKED},           {"533", AUTH_DISABLED},
                 {"701", AUTH_EXPIRED},          {"532", AUTH_PASSWORD_EXPIRED},
                 {"773", AUTH_PASSWORD_EXPIRED}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char diag[256];
        snprintf(diag, sizeof diag,
                 "80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, "
                 "data %s, v4563",
                 cases[i].code);
        CHECK_INT(bind_says(LDAP_INVALID_CREDENTIALS, PP_noError, diag), cases[i].want);
    }
    /* The server could not be reached or did not answer in time */
    CHECK_INT(bind_says(LDAP_SERVER_DOWN, PP_noError, ""), AUTH_UNAVAILABLE);
    CHECK_INT(bind_says(LDAP_TIMEOUT, PP_noError, ""), AUTH_UNAVAILABLE);
    CHECK_INT(bind_says(LDAP_UNWILLING_TO_PERFORM, PP_noError, ""), AUTH_INVALID);
    CHECK_INT(bind_says(LDAP_OPERATIONS_ERROR, PP_noError, ""), AUTH_ERROR);
}

static void test_account_state(void)
{
    struct user_entry u = {.dn = "cn=someone,dc=example"};
    CHECK_INT(dir_account_state(&u, true), AUTH_OK);
    u.account_control = "512";
    CHECK_INT(dir_account_state(&u, false), AUTH_OK);
    u.account_control = "514";
    CHECK_INT(dir_account_state(&u, false), AUTH_DISABLED);
    u.account_control = "66050"; /* 0x10202: disabled among other flags */
    CHECK_INT(dir_account_state(&u, false), AUTH_DISABLED);
    u.account_control = "garbage";
    CHECK_INT(dir_account_state(&u, false), AUTH_DISABLED);
    u.account_control = "66048";
    u.account_expires = "0";
    CHECK_INT(dir_account_state(&u, false), AUTH_OK);
    u.account_expires = "9223372036854775807";
    CHECK_INT(dir_account_state(&u, false), AUTH_OK);
    u.account_expires = "129000000000000000"; /* 2009 */
    CHECK_INT(dir_account_state(&u, false), AUTH_EXPIRED);
    u.account_expires = "157469184000000000"; /* 2100-01-01 */
    CHECK_INT(dir_account_state(&u, false), AUTH_OK);
    u.account_expires = "soon";
    CHECK_INT(dir_account_state(&u, false), AUTH_EXPIRED);
    u.account_expires = NULL;
    u.locked_time = "000001010000Z";
    CHECK_INT(dir_account_state(&u, false), AUTH_OK); /* a login's bind reports locks */
    CHECK_INT(dir_account_state(&u, true), AUTH_LOCKED);
}

static void test_messages(void)
{
    CHECK_STR(auth_result_message(AUTH_INVALID), "用户名或密码错误");
    CHECK_STR(auth_result_name(AUTH_PASSWORD_EXPIRED), "password_expired");
    CHECK_STR(auth_result_name((enum auth_result)99), "error");
    /* Every refusal has a message of its own, so a user knows what to do. */
    for (int i = AUTH_OK; i <= AUTH_ERROR; i++)
        for (int j = i + 1; j <= AUTH_ERROR; j++)
            CHECK(strcmp(auth_result_message(i), auth_result_message(j)) != 0);
}

int main(void)
{
    test_bind_results();
    test_account_state();
    test_messages();
    return check_report();
}

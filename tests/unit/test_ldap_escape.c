/* Filter and DN escaping, DN comparison, role names and the group-to-role map. */
#include <ldap.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "ldap_escape.h"
#include "roles.h"

/* The value of the single RDN of dn, parsed back by libldap: what the server will see. */
static char *parsed_value(struct arena *a, const char *dn)
{
    return auth_dn_first_value(a, dn);
}

static void test_filter_escape(struct arena *a)
{
    CHECK_STR(auth_filter_escape(a, "plain-user_1", 12), "plain-user_1");
    CHECK_STR(auth_filter_escape(a, "*", 1), "\\2A");
    CHECK_STR(auth_filter_escape(a, "(", 1), "\\28");
    CHECK_STR(auth_filter_escape(a, ")", 1), "\\29");
    CHECK_STR(auth_filter_escape(a, "\\", 1), "\\5C");
    CHECK_STR(auth_filter_escape(a, "a\0b", 3), "a\\00b");
    CHECK_STR(auth_filter_escape(a, ")(uid=*", 7), "\\29\\28uid=\\2A");
    /* A backslash followed by 00 as typed is text, not a NUL: the backslash is escaped. */
    CHECK_STR(auth_filter_escape(a, "\\00", 3), "\\5C00");
    /* libldap writes every byte outside ASCII as \XX: the server reads the same UTF-8. */
    CHECK_STR(auth_filter_escape(a, "王芳", strlen("王芳")), "\\E7\\8E\\8B\\E8\\8A\\B3");
}

static void test_filter_build(struct arena *a)
{
    CHECK_STR(auth_filter_build(a, "(uid=%s)", "heping-admin", 12), "(uid=heping-admin)");
    CHECK_STR(auth_filter_build(a, "(uid=%s)", "*)(uid=*", 8), "(uid=\\2A\\29\\28uid=\\2A)");
    CHECK_STR(auth_filter_build(a, "(|(member=%s)(uniqueMember=%s))", "cn=a,o=b", 8),
              "(|(member=cn=a,o=b)(uniqueMember=cn=a,o=b))");
    CHECK_STR(auth_filter_build(a, "(&(objectClass=user)(sAMAccountName=%s))", "王芳",
                                strlen("王芳")),
              "(&(objectClass=user)(sAMAccountName=\\E7\\8E\\8B\\E8\\8A\\B3))");
    /* A %s in the value is not a placeholder again. */
    CHECK_STR(auth_filter_build(a, "(cn=%s)", "%s", 2), "(cn=%s)");
    CHECK(auth_filter_template_valid("(uid=%s)"));
    CHECK(auth_filter_template_valid("(|(&(objectClass=groupOfNames)(member=%s))"
                                     "(&(objectClass=groupOfUniqueNames)(uniqueMember=%s)))"));
    CHECK(!auth_filter_template_valid("(uid=admin)")); /* no %s */
    CHECK(!auth_filter_template_valid("(uid=%s"));
    CHECK(!auth_filter_template_valid("(&(uid=%s)(objectClass=person)"));
}

/* escaped: the DN auth_dn_child makes; and libldap reads the value back unchanged. */
static void check_dn_child(struct arena *a, const char *value, const char *escaped)
{
    const char *dn = auth_dn_child(a, "cn", value, "");
    CHECK_STR(dn, escaped);
    CHECK_STR(dn ? parsed_value(a, dn) : NULL, value);
}

static void test_dn_escape(struct arena *a)
{
    check_dn_child(a, "plain", "cn=plain");
    check_dn_child(a, "a,b", "cn=a\\2Cb");
    check_dn_child(a, "a+b", "cn=a\\2Bb");
    check_dn_child(a, "a\"b", "cn=a\\22b");
    check_dn_child(a, "a\\b", "cn=a\\5Cb");
    check_dn_child(a, "<a>", "cn=\\3Ca\\3E");
    check_dn_child(a, "a;b", "cn=a\\3Bb");
    check_dn_child(a, "a=b", "cn=a\\3Db");
    check_dn_child(a, "#a", "cn=\\23a");
    check_dn_child(a, " a", "cn=\\20a");
    check_dn_child(a, "a ", "cn=a\\20");
    check_dn_child(a, "a#b c", "cn=a#b c"); /* only at the start and end */
    check_dn_child(a, "王芳", "cn=王芳");
    check_dn_child(a, "\\00", "cn=\\5C00");
    check_dn_child(a, "uid=admin,dc=example", "cn=uid\\3Dadmin\\2Cdc\\3Dexample");
    CHECK_STR(auth_dn_child(a, "uid", "王芳", "ou=浑河湾街道,dc=fulian,dc=example"),
              "uid=王芳,ou=浑河湾街道,dc=fulian,dc=example");
    CHECK(auth_dn_child(a, "cn", "\xff\xfe", "dc=example") == NULL); /* not UTF-8 */
    CHECK(auth_dn_child(a, "cn", "x", "not a dn") == NULL);
}

static void test_dn_compare(struct arena *a)
{
    CHECK_STR(auth_dn_normalize(a, "CN=Jiceng-Admin, OU=Groups,DC=Fulian,DC=Example"),
              "cn=jiceng-admin,ou=groups,dc=fulian,dc=example");
    CHECK_STR(auth_dn_normalize(a, "OU=和平区, DC=Fulian"), "ou=和平区,dc=fulian");
    /* The same Chinese DN, once with its UTF-8 bytes escaped. */
    CHECK_STR(auth_dn_normalize(a, "ou=\\E5\\92\\8C\\E5\\B9\\B3\\E5\\8C\\BA,dc=fulian"),
              "ou=和平区,dc=fulian");
    CHECK_STR(auth_dn_normalize(a, "cn=a\\,b,dc=x"), auth_dn_normalize(a, "cn=a\\2cb,dc=x"));
    CHECK_STR(auth_dn_normalize(a, "cn=\"a,b\",dc=x"), auth_dn_normalize(a, "cn=a\\,b,dc=x"));
    CHECK(auth_dn_normalize(a, "not a dn") == NULL);
    CHECK_STR(auth_dn_parent(a, "uid=王芳,ou=浑河湾街道,dc=fulian"), "ou=浑河湾街道,dc=fulian");
    CHECK_STR(auth_dn_parent(a, "cn=a\\,b,dc=x"), "dc=x");
    CHECK_STR(auth_dn_parent(a, "dc=x"), "");
    CHECK(auth_dn_parent(a, "") == NULL);
    CHECK_STR(auth_dn_first_value(a, "cn=jiceng-admin,ou=groups"), "jiceng-admin");
    CHECK_STR(auth_dn_first_value(a, "cn=a\\2Cb,ou=groups"), "a,b");
    CHECK(auth_dn_within(a, "uid=x,ou=和平区,DC=Fulian,dc=example", "dc=fulian,dc=example"));
    CHECK(auth_dn_within(a, "dc=fulian,dc=example", "DC=Fulian, DC=Example"));
    CHECK(!auth_dn_within(a, "dc=other,dc=example", "dc=fulian,dc=example"));
    /* A value that merely ends like the base is not below it. */
    CHECK(!auth_dn_within(a, "cn=x,dc=notfulian,dc=example", "dc=fulian,dc=example"));
    CHECK(!auth_dn_within(a, "cn=a\\,dc=fulian\\,dc=example", "dc=fulian,dc=example"));
}

static void test_role_names(void)
{
    char buf[64];
    CHECK_INT(roles_format(0, buf, sizeof buf), 0);
    CHECK_STR(buf, "");
    roles_format(ROLE_VIEWER | ROLE_ADMIN, buf, sizeof buf);
    CHECK_STR(buf, "viewer,admin");
    roles_format(ROLE_ALL, buf, sizeof buf);
    CHECK_STR(buf, "viewer,clerk,approver,admin");
    char small[8];
    CHECK_INT(roles_format(ROLE_ALL, small, sizeof small), 27);
    CHECK_STR(small, "viewer"); /* cut at a whole name */
    unsigned roles = 99;
    CHECK_INT(roles_parse("clerk, approver", &roles), 0);
    CHECK_INT(roles, ROLE_CLERK | ROLE_APPROVER);
    CHECK_INT(roles_parse("", &roles), 0);
    CHECK_INT(roles, 0);
    CHECK_INT(roles_parse("viewer,root", &roles), -1);
    CHECK_STR(role_name(ROLE_APPROVER), "approver");
    CHECK(role_name(ROLE_VIEWER | ROLE_CLERK) == NULL);
}

static void test_role_map(struct arena *a)
{
    const char *const lists[ROLE_COUNT] = {
        "cn=jiceng-viewer,ou=groups,dc=fulian,dc=example | 查看组",
        "CN=Jiceng-Clerk, OU=Groups, DC=Fulian, DC=Example",
        "cn=审核员,ou=用户组,dc=fulian,dc=example",
        "jiceng-admin|Domain Admins",
    };
    char err[256] = "";
    struct role_map *map = role_map_new(lists, err, sizeof err);
    CHECK(map != NULL);
    if (!map)
        return;
    CHECK(!role_map_empty(map));
    CHECK_INT(role_map_match(map, a, "cn=jiceng-viewer,ou=groups,dc=fulian,dc=example"),
              ROLE_VIEWER);
    /* DNs compare whatever the case and spacing. */
    CHECK_INT(role_map_match(map, a, "cn=jiceng-clerk,ou=groups,dc=fulian,dc=example"),
              ROLE_CLERK);
    CHECK_INT(role_map_match(map, a, "CN=JICENG-VIEWER,OU=GROUPS,DC=FULIAN,DC=EXAMPLE"),
              ROLE_VIEWER);
    /* Chinese group DNs, raw or with their bytes escaped. */
    CHECK_INT(role_map_match(map, a, "CN=审核员, OU=用户组, DC=fulian, DC=example"), ROLE_APPROVER);
    CHECK_INT(role_map_match(map, a, "cn=\\E5\\AE\\A1\\E6\\A0\\B8\\E5\\91\\98,ou=用户组,"
                                     "dc=fulian,dc=example"),
              ROLE_APPROVER);
    /* Group names match the first RDN value, wherever the group is. */
    CHECK_INT(role_map_match(map, a, "cn=jiceng-admin,ou=elsewhere,dc=example"), ROLE_ADMIN);
    CHECK_INT(role_map_match(map, a, "CN=Domain Admins,CN=Users,DC=ad,DC=example"), ROLE_ADMIN);
    CHECK_INT(role_map_match(map, a, "cn=查看组,ou=groups,dc=x"), ROLE_VIEWER);
    /* A DN item matches only that DN; a similar name elsewhere does not. */
    CHECK_INT(role_map_match(map, a, "cn=jiceng-clerk,ou=other,dc=fulian,dc=example"), 0);
    CHECK_INT(role_map_match(map, a, "cn=jiceng-admins,ou=groups,dc=fulian,dc=example"), 0);
    CHECK_INT(role_map_match(map, a, "not a dn"), 0);
    role_map_free(map);

    const char *const bad[ROLE_COUNT] = {"cn=ok,dc=x", "cn=a,=broken", NULL, NULL};
    CHECK(role_map_new(bad, err, sizeof err) == NULL);
    CHECK(strstr(err, "[roles] clerk") != NULL);
    const char *const none[ROLE_COUNT] = {"", " | ", NULL, NULL};
    struct role_map *empty = role_map_new(none, err, sizeof err);
    CHECK(empty && role_map_empty(empty));
    role_map_free(empty);
}

int main(void)
{
    struct arena *a = arena_new();
    test_filter_escape(a);
    test_filter_build(a);
    test_dn_escape(a);
    test_dn_compare(a);
    test_role_names();
    test_role_map(a);
    arena_free(a);
    return check_report();
}

#!/usr/bin/env bash
# Directory login against a slapd shaped like Active Directory (tests/ldap/ad-schema.ldif and
# ad-directory.ldif): sAMAccountName or userPrincipalName logins, objectClass group with
# memberOf, the region code in a user attribute, userAccountControl and accountExpires. The same
# code as for OpenLDAP; only the settings differ.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ldap/lib.sh
source "$JICENG_SOURCE/tests/ldap/lib.sh"
trap tldap_finish EXIT

S=DC=ad,DC=example
SEARCH_DN="CN=jiceng-search,OU=服务账号,$S"
PW='密码Pässwörd1'
STAFF="OU=员工,$S"
# DNs come back from slapd with attribute types as its schema spells them (cn, ou, dc).

tldap_init
tldap_server ad ad "$S" "$SEARCH_DN"
tldap_load ad "$JICENG_SOURCE/tests/ldap/ad-directory.ldif"
SEARCH_PW=$(stack_random)
tldap_load ad - <<EOF
dn: $SEARCH_DN
objectClass: user
cn: jiceng-search
sn: jiceng-search
sAMAccountName: jiceng-search
userAccountControl: 66048
userPassword: $(slappasswd -s "$SEARCH_PW")
EOF

DIRECTORY=("[directory]" "uri = $(tldap_uri ad)" "timeout = 2" "bind_dn = $SEARCH_DN"
    "bind_password = $SEARCH_PW" "base_dn = $S"
    "user_filter = (&(objectClass=user)(|(sAMAccountName=%s)(userPrincipalName=%s)))"
    "display_name_attribute = displayName" "region_attribute = extensionAttribute1"
    "group_mode = memberof")
ROLES=("[roles]" "viewer = CN=查看人员,OU=组,$S" "clerk = Jiceng Clerks"
    "approver = Jiceng Approvers" "admin = Jiceng Admins")
CFG=$TLDAP_DIR/ad.ini
tldap_ini "$CFG" "${DIRECTORY[@]}" "${ROLES[@]}"

settings() {
    local file=$TLDAP_DIR/$1.ini
    shift
    tldap_ini "$file" "${DIRECTORY[@]}" "$@" "${ROLES[@]}"
    printf '%s' "$file"
}

# ---------------------------------------------------------------------------------------------
# Logins

login "$CFG" lina "$PW"
expect_login "sAMAccountName login; approver through a group within a group" ok \
    "dn=cn=李娜,ou=员工,dc=ad,dc=example" "display_name=李娜" "region=210102" "level=county" \
    "roles=clerk,approver" "refresh=ok"
login "$CFG" lina@ad.example "$PW"
expect_login "userPrincipalName login (the filter holds %s twice)" ok "dn=cn=李娜,ou=员工,dc=ad,dc=example"
login "$CFG" LINA "$PW"
expect_login "sAMAccountName compares ignoring case" ok "username=LINA"
login "$CFG" 张伟 "$PW"
expect_login "a Chinese sAMAccountName; the viewer group has a Chinese DN" ok \
    "dn=cn=张伟,ou=员工,dc=ad,dc=example" "region=210102001" "level=township" "roles=viewer"
login "$CFG" zhoumin "$PW"
expect_login "an account expiring in 2100, at province level" ok "region=21" \
    "level=province" "roles=admin"
login "$(settings flat "nested_depth = 0")" lina "$PW"
expect_login "nested_depth 0: only the direct groups count" ok "roles=clerk"
login "$(settings by-search "group_mode = search" "group_base = OU=组,$S" \
    "group_filter = (&(objectClass=group)(member=%s))")" lina "$PW"
expect_login "group_mode search on AD groups, nested" ok "roles=clerk,approver"

# ---------------------------------------------------------------------------------------------
# Refusals

login "$CFG" lina wrong-password
expect_login "wrong password" invalid "message=用户名或密码错误"
login "$CFG" nobody "$PW"
expect_login "unknown user" invalid "message=用户名或密码错误"
login "$CFG" zhaoli "$PW"
expect_login "userAccountControl 514: disabled" disabled "message=账号已停用，请联系管理员"
login "$CFG" zhaoli wrong-password
expect_login "a disabled account with a wrong password says only that it is wrong" invalid
login "$CFG" sunqiang "$PW"
expect_login "accountExpires in 2009: expired" expired "message=账号已过期，请联系管理员"
login "$CFG" wufang "$PW"
expect_login "no region attribute" no_region
login "$CFG" zhengjie "$PW"
expect_login "a region attribute that is no region code (5 digits)" no_region
login "$CFG" wangjing "$PW"
expect_login "in no group" no_role
login "$CFG" 'lina)(sAMAccountName=*' "$PW"
expect_login "filter injection through the two-%s filter" invalid

# ---------------------------------------------------------------------------------------------
# Refresh: the account changes while a session lives

refresh "$CFG" "CN=李娜,$STAFF"
expect_login "refresh" ok "roles=clerk,approver" "region=210102"
refresh "$CFG" "CN=赵丽,$STAFF"
expect_login "refresh of a disabled account" disabled
refresh "$CFG" "CN=孙强,$STAFF"
expect_login "refresh of an expired account" expired
tldap_admin ad ldapmodify >/dev/null <<EOF
dn: CN=周敏,$STAFF
changetype: modify
replace: userAccountControl
userAccountControl: 514

dn: CN=张伟,$STAFF
changetype: modify
replace: accountExpires
accountExpires: 130000000000000000

dn: CN=李娜,$STAFF
changetype: modify
replace: extensionAttribute1
extensionAttribute1: 210103
EOF
refresh "$CFG" "CN=周敏,$STAFF"
expect_login "refresh after the account was disabled" disabled
refresh "$CFG" "CN=张伟,$STAFF"
expect_login "refresh after the account expired" expired
login "$CFG" 张伟 "$PW"
expect_login "...and the login too" expired
refresh "$CFG" "CN=李娜,$STAFF"
expect_login "refresh after the user moved to another region" ok "region=210103"

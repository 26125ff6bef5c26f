#!/usr/bin/env bash
# Directory login against a real slapd shaped like an OpenLDAP directory: the demo directory
# (uid logins, groupOfNames with the memberof overlay, region codes in the OUs' description)
# plus tests/ldap/openldap-test.ldif (password policy, duplicates, groups within groups, POSIX
# groups). Everything goes through `jiceng check-login`, configured by settings only.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ldap/lib.sh
source "$JICENG_SOURCE/tests/ldap/lib.sh"
trap tldap_finish EXIT

S=dc=fulian,dc=example
SEARCH_DN="cn=jiceng-search,ou=services,$S"
PW=Demo-2026
HEPING="ou=和平区,ou=沈阳市,ou=辽宁省,$S"

tldap_init
tldap_server ol openldap "$S" "$SEARCH_DN"
tldap_load ol "$JICENG_SOURCE/auth/demo-directory.ldif"
SEARCH_PW=$(stack_random)
tldap_load ol - <<EOF
dn: $SEARCH_DN
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: jiceng-search
userPassword: $(slappasswd -s "$SEARCH_PW")
EOF
tldap_load ol "$JICENG_SOURCE/tests/ldap/openldap-test.ldif"
# A referral where a user could be: a search without ManageDsaIT returns a reference to
# another server, which must not be followed.
tldap_load ol - -M <<EOF
dn: uid=referred,$HEPING
objectClass: referral
objectClass: extensibleObject
uid: referred
ref: ldap://127.0.0.1:9/uid=referred,$HEPING

dn: ou=elsewhere,$S
objectClass: referral
objectClass: extensibleObject
ou: elsewhere
ref: ldap://127.0.0.1:9/ou=elsewhere,$S
EOF

DIRECTORY=("[directory]" "uri = $(tldap_uri ol)" "timeout = 2" "bind_dn = $SEARCH_DN"
    "bind_password = $SEARCH_PW" "base_dn = $S")
ROLES_BY_DN=("[roles]" "viewer = cn=jiceng-viewer,ou=groups,$S" "clerk = cn=jiceng-clerk,ou=groups,$S"
    "approver = cn=jiceng-approver,ou=groups,$S" "admin = cn=jiceng-admin,ou=groups,$S")
CFG=$TLDAP_DIR/openldap.ini
tldap_ini "$CFG" "${DIRECTORY[@]}" "${ROLES_BY_DN[@]}"

# settings NAME LINE...: the base settings with more [directory] lines, which replace earlier
# ones; prints the file's path.
settings() {
    local file=$TLDAP_DIR/$1.ini
    shift
    tldap_ini "$file" "${DIRECTORY[@]}" "$@" "${ROLES_BY_DN[@]}"
    printf '%s' "$file"
}

accepts() { tldap_log_lines ol 'ACCEPT from IP='; }

# ---------------------------------------------------------------------------------------------
# The demo users: each level, each role, a Chinese login name

while IFS='|' read -r user dn_ou name region level roles; do
    login "$CFG" "$user" "$PW"
    expect_login "$user logs in" ok "dn=uid=$user,$dn_ou,$S" "display_name=$name" \
        "region=$region" "level=$level" "roles=$roles" "refresh=ok"
done <<'EOF'
liaoning-admin|ou=辽宁省|杨丽华|21|province|admin
shenyang-approver|ou=沈阳市,ou=辽宁省|高玉兰|2101|city|approver
heping-viewer|ou=和平区,ou=沈阳市,ou=辽宁省|陈秀兰|210102|county|viewer
heping-clerk|ou=和平区,ou=沈阳市,ou=辽宁省|刘丽娟|210102|county|clerk
heping-approver|ou=和平区,ou=沈阳市,ou=辽宁省|赵敏|210102|county|viewer,approver
heping-admin|ou=和平区,ou=沈阳市,ou=辽宁省|孙静|210102|county|admin
hunhewan-admin|ou=浑河湾街道,ou=和平区,ou=沈阳市,ou=辽宁省|冯雪|210102001|township|admin
王芳|ou=浑河湾街道,ou=和平区,ou=沈阳市,ou=辽宁省|王芳|210102001|township|clerk
shuiyuandi-clerk|ou=水源地社区,ou=浑河湾街道,ou=和平区,ou=沈阳市,ou=辽宁省|何春燕|210102001002|village|clerk
shenhe-clerk|ou=沈河区,ou=沈阳市,ou=辽宁省|马晓燕|210103|county|clerk
EOF
expect_eq "$LOGIN_RC" 0 "check-login exits 0 after a login"

login "$CFG" HEPING-ADMIN "$PW"
expect_login "login names compare as the directory compares uid (case-insensitively)" ok \
    "username=HEPING-ADMIN" "roles=admin"
login "$CFG" pw-unicode '密码Pässwörd1'
expect_login "a password with Chinese and accented letters" ok "display_name=李娜" "roles=clerk"
login "$CFG" pw-unicode '密码Passwörd1'
expect_login "a password differing in one accent is wrong" invalid
login "$CFG" noname-user "$PW"
expect_login "no displayName: the login name stands in" ok "display_name=noname-user"

# ---------------------------------------------------------------------------------------------
# Refusals: the same answer for an unknown user as for a wrong password

login "$CFG" heping-admin wrong-password
expect_login "wrong password" invalid "message=用户名或密码错误"
expect_eq "$LOGIN_RC" 1 "check-login exits 1 after a refusal"
login "$CFG" no-such-user "$PW"
expect_login "unknown user: same result and message as a wrong password" invalid \
    "message=用户名或密码错误"
check "unknown user: a bind was still made, below an entry that does not exist" \
    test "$(tldap_log_lines ol 'BIND dn="cn=no-such-user,cn=jiceng-no-such-entry-[0-9a-f]*,dc=fulian')" -ge 1

login "$CFG" twin "$PW"
expect_login "a name two entries share is refused" invalid
check "...and logged" grep -q 'matches more than one entry' <<<"$LOGIN_ERR"

login "$CFG" locked-user "$PW"
expect_login "password policy: a locked account" locked "message=账号已被目录锁定，请联系管理员解锁"
login "$CFG" reset-user "$PW"
expect_login "password policy: a reset password must be changed" password_expired
sleep 2 # expired-pw-user's password lives for one second
login "$CFG" expired-pw-user "$PW"
expect_login "password policy: an expired password" password_expired
login "$CFG" expired-pw-user wrong-password
expect_login "...but with a wrong password it is only wrong" invalid
login "$CFG" norole-user "$PW"
expect_login "no group maps to a role" no_role "message=账号未分配本系统的角色，请联系管理员"
login "$CFG" noregion-user "$PW"
expect_login "no unit above the user has a region code" no_region \
    "message=账号未关联所属行政区划，请联系管理员"
login "$CFG" referred "$PW"
expect_login "a referral in the directory is not followed" invalid
login "$(settings referral-base "base_dn = ou=elsewhere,$S")" heping-admin "$PW"
expect_login "a base_dn that is a referral finds nobody" invalid
check "...and says so in the log" grep -q 'is a referral' <<<"$LOGIN_ERR"

# ---------------------------------------------------------------------------------------------
# Input that must never reach the directory, and input that must reach it escaped

before=$(accepts)
login "$CFG" heping-admin ""
expect_login "empty password (an anonymous bind would succeed)" invalid
login "$CFG" "" "$PW"
expect_login "empty username" invalid
login "$CFG" "$(head -c 10240 /dev/zero | tr '\0' a)" "$PW"
expect_login "a 10 KB username" invalid
login "$CFG" "$(head -c 257 /dev/zero | tr '\0' a)" "$PW"
expect_login "a 257-byte username" invalid
login "$CFG" $'heping-admin\xff' "$PW"
expect_login "a username that is not UTF-8" invalid
login "$CFG" heping-admin $'Demo-2026\xc3'
expect_login "a password that is not UTF-8" invalid
expect_eq "$(accepts)" "$before" "none of those opened a connection to the directory"

while IFS='|' read -r what user filter; do
    login "$CFG" "$user" "$PW"
    expect_login "username $what" invalid
    check "...reached the server as $filter" \
        grep -qF "filter=\"$filter\"" "$TLDAP_DIR/ol/slapd.log"
done <<'EOF'
*|*|(uid=\2A)
)(|)(|(uid=\29\28)
hunhewan-adm* (unescaped it would match one user)|hunhewan-adm*|(uid=hunhewan-adm\2A)
*)(uid=*|*)(uid=*|(uid=\2A\29\28uid=\2A)
\00 (a backslash and two zeros)|\00|(uid=\5C00)
\ (a backslash)|\|(uid=\5C)
EOF
login "$CFG" "uid=heping-admin,$HEPING" "$PW"
expect_login "a username that is a user's DN" invalid
login "$CFG" "不存在的用户" "$PW"
expect_login "an unknown Chinese username" invalid

# ---------------------------------------------------------------------------------------------
# Groups: by search instead of memberOf, POSIX groups, groups within groups

SEARCH_CFG=$(settings search "group_mode = search" "group_base = ou=groups,$S")
login "$SEARCH_CFG" heping-approver "$PW"
expect_login "group_mode search, groupOfNames" ok "roles=viewer,approver"
login "$SEARCH_CFG" 王芳 "$PW"
expect_login "group_mode search, a Chinese member DN" ok "roles=clerk"

POSIX_CFG=$TLDAP_DIR/posix.ini
tldap_ini "$POSIX_CFG" "${DIRECTORY[@]}" "group_mode = search" "group_member = uid" \
    "group_base = ou=posix,$S" "group_filter = (&(objectClass=posixGroup)(memberUid=%s))" \
    "[roles]" "clerk = jiceng-posix-clerk" "admin = jiceng-posix-admin"
login "$POSIX_CFG" heping-clerk "$PW"
expect_login "posixGroup memberUid, roles by group name" ok "roles=clerk"
login "$POSIX_CFG" hunhewan-clerk "$PW"
expect_login "posixGroup memberUid, a user two levels down" ok "roles=clerk" "region=210102001"
login "$POSIX_CFG" heping-admin "$PW"
expect_login "posixGroup memberUid, admin" ok "roles=admin"
login "$POSIX_CFG" heping-viewer "$PW"
expect_login "posixGroup memberUid, in no mapped group" no_role

for mode in memberof search; do
    for depth in 0 1 3; do
        want=ok
        ((depth < 2)) && want=no_role # approver is two levels above the user's group
        cfg=$(settings "nested-$mode-$depth" "group_mode = $mode" "nested_depth = $depth")
        login "$cfg" nested-user "$PW"
        expect_login "groups within looping groups, $mode, nested_depth $depth" "$want"
    done
done
login "$(settings nested-10 "nested_depth = 10")" nested-user "$PW"
expect_login "a loop of groups ends at the cycle check, not the depth" ok "roles=approver"

NAMES_CFG=$TLDAP_DIR/names.ini
tldap_ini "$NAMES_CFG" "${DIRECTORY[@]}" "[roles]" "viewer = jiceng-viewer" \
    "viewer = JICENG-CLERK" "admin = cn=JICENG-ADMIN, ou=Groups, DC=Fulian, DC=Example"
login "$NAMES_CFG" heping-clerk "$PW"
expect_login "roles by group name, ignoring case" ok "roles=viewer"
login "$NAMES_CFG" heping-admin "$PW"
expect_login "roles by DN, ignoring case and spaces" ok "roles=admin"

# ---------------------------------------------------------------------------------------------
# Refresh: re-reading a session's identity with the service account only

refresh "$CFG" "uid=heping-admin,$HEPING"
expect_login "refresh of a user" ok "region=210102" "roles=admin" "display_name=孙静"
refresh "$CFG" "uid=gone,$HEPING"
expect_login "refresh of a DN that does not exist" invalid
refresh "$CFG" "uid=heping-admin,dc=other,dc=example"
expect_login "refresh of a DN outside base_dn" invalid
refresh "$CFG" "not a DN"
expect_login "refresh of something that is not a DN" invalid
refresh "$CFG" "uid=locked-user,$HEPING"
expect_login "refresh of a locked user" locked
refresh "$CFG" "uid=norole-user,$HEPING"
expect_login "refresh of a user without a role" no_role
tldap_admin ol ldapmodify >/dev/null <<EOF
dn: cn=jiceng-clerk,ou=groups,$S
changetype: modify
delete: member
member: uid=heping-clerk,$HEPING
EOF
refresh "$CFG" "uid=heping-clerk,$HEPING"
expect_login "refresh after the user left her group" no_role
tldap_admin ol ldapdelete "uid=heping-viewer,$HEPING" >/dev/null
refresh "$CFG" "uid=heping-viewer,$HEPING"
expect_login "refresh after the user was deleted" invalid

# ---------------------------------------------------------------------------------------------
# Settings checked before any traffic

BAD_PW_CFG=$(settings bad-service "bind_password = not-the-password")
login "$BAD_PW_CFG" heping-admin "$PW"
expect_login "a wrong service password is an error, not a wrong user password" error
check "...and the log names the service account" grep -q 'service account' <<<"$LOGIN_ERR"
expect_eq "$(grep -c ' error ' <<<"$LOGIN_ERR")" 1 "...in one line"
login "$(settings anonymous "bind_dn =" "bind_password =")" heping-admin "$PW"
expect_login "anonymous search where anonymous users see nothing" invalid

while IFS='|' read -r what line; do
    login "$(settings bad "$line")" heping-admin "$PW"
    expect_eq "$LOGIN_RC" 2 "check-login refuses settings: $what"
done <<'EOF'
a user_filter without %s|user_filter = (uid=heping-admin)
a user_filter that does not parse|user_filter = (uid=%s
an unknown group_mode|group_mode = nested
an empty base_dn|base_dn =
a bind_dn without password|bind_password =
EOF
tldap_ini "$TLDAP_DIR/noroles.ini" "${DIRECTORY[@]}"
login "$TLDAP_DIR/noroles.ini" heping-admin "$PW"
expect_eq "$LOGIN_RC" 2 "check-login refuses settings that map no group to a role"

# ---------------------------------------------------------------------------------------------
# Time: a login on kept connections, and an unknown user against a wrong password

p50() { printf '%s\n' "$LOGIN_OUT" | sed -n 's/^timing: .* p50 \([0-9.]*\) ms.*/\1/p'; }
login "$CFG" heping-admin "$PW" --repeat 200
expect_login "200 logins on kept connections" ok
echo "     full login (search, bind, groups, units above): $(login_field timing)"
ok_p50=$(p50)
login "$CFG" heping-admin wrong-password --repeat 200
wrong_p50=$(p50)
echo "     wrong password (search + bind): $(login_field timing)"
login "$CFG" no-such-user wrong-password --repeat 200
unknown_p50=$(p50)
echo "     unknown user (search + decoy bind): $(login_field timing)"
check "an unknown user costs about what a wrong password costs (p50 $unknown_p50 vs $wrong_p50 ms)" \
    awk -v u="$unknown_p50" -v w="$wrong_p50" 'BEGIN { exit !(u > w / 3 && u < w * 3) }'
check "a full login stays well under a second (p50 $ok_p50 ms)" \
    awk -v t="$ok_p50" 'BEGIN { exit !(t < 1000) }'

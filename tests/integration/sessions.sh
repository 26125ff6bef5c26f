#!/usr/bin/env bash
# Login, sessions and their end: against the real slapd and MariaDB of the test stack.
source "$(dirname "$0")/lib.sh"

GROUPS_DN="ou=groups,dc=fulian,dc=example"

# ldap_admin_modify: ldapmodify as the directory's admin, the LDIF on standard input.
ldap_admin_modify() {
    ldapmodify -x -H "$LDAP_URI" -D "${LDAP_ADMIN_DN//\\/}" -w "$LDAP_ADMIN_PASSWORD" >/dev/null
}

# group_member add|delete GROUP UID_DN
group_member() {
    printf 'dn: cn=%s,%s\nchangetype: modify\n%s: member\nmember: %s\n' \
        "$2" "$GROUPS_DN" "$1" "$3" | ldap_admin_modify
}

# age_session USER COLUMN MINUTES: moves a time of USER's live session MINUTES into the past.
age_session() {
    sql "UPDATE session SET $2 = NOW(3) - INTERVAL $3 MINUTE
         WHERE token_hash = UNHEX(SHA2('$(session_token "$1")', 256))"
}

# --- Logging in ---------------------------------------------------------------------------------

login heping-clerk wrong-password
expect_error 401 invalid_credentials
wrong_message=$(printf '%s' "$HTTP_BODY" | jq -r .error.message)
login no-such-user wrong-password
expect_error 401 invalid_credentials
expect_json .error.message "\"$wrong_message\"" "an unknown user gets the same answer as a wrong password"
login heping-clerk ""
expect_error 400 required
expect_json .error.field '"password"'
http POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Requested-With: 1' --data '{"password":"x"}'
expect_error 400 required
expect_json .error.field '"username"'
http POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Requested-With: 1' --data '{"username":"heping-clerk","password":7}'
expect_error 400 required
http POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Requested-With: 1' --data '{"username":'
expect_error 400 invalid_json

# Hostile and odd usernames through the API (the filter escaping itself is tested in
# ldap_login.sh): never a login, never a crash, always a JSON answer.
long_name=$(printf 'a%.0s' $(seq 10240))
for name in '*' ')(' '*)(uid=*' '\00' '\' 'uid=heping-clerk,ou=和平区,ou=沈阳市,ou=辽宁省,dc=fulian,dc=example' \
    '王芳*' "$long_name"; do
    login "$name" "$DEMO_PASSWORD"
    check "username ${name:0:40}: refused with 401 or 400" test "$HTTP_STATUS" = 401 -o "$HTTP_STATUS" = 400
    expect_header Content-Type '^application/json'
done
http POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Requested-With: 1' \
    --data '{"username":"heping-clerk\u0000x","password":"Demo-2026"}'
expect_error 400 invalid_json
login 王芳 "密码错误-ÄÖ"
expect_error 401 invalid_credentials

login heping-clerk
expect_status 201
expect_header Set-Cookie '^jiceng_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax'
expect_json '.user | [.username, .region, .region_name, .level, .roles]' \
    '["heping-clerk","210102","和平区","county",["clerk"]]'
token=$(session_token heping-clerk)
expect_eq "$(sql "SELECT COUNT(*) FROM session WHERE token_hash = UNHEX(SHA2('$token', 256))")" 1 \
    "the session row holds the token's hash"
expect_eq "$(sql "SELECT COUNT(*) FROM session WHERE CONCAT_WS(' ', username, dn, display_name,
    address, user_agent) LIKE '%$token%'")" 0 "no column holds the token itself"
as heping-clerk GET /api/v1/me
expect_status 200
expect_json .display_name "\"$(ldap_search uid=heping-clerk displayName | sed -n 's/^displayName:: //p' | base64 -d)\"" \
    "the display name comes from the directory"
as heping-clerk GET /api/v1/auth/check
expect_status 204
expect_header X-Jiceng-User '^heping-clerk$'
expect_header X-Jiceng-Region '^210102$'

login 王芳
expect_status 201 "a Chinese uid logs in"
expect_json '.user | [.username, .level]' '["王芳","township"]'

# --- Without a session, and forged requests -----------------------------------------------------

http GET /api/v1/me
expect_error 401 unauthorized
http GET /api/v1/me -H "Cookie: jiceng_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
expect_error 401 unauthorized
http GET /api/v1/regions/21
expect_error 401 unauthorized

http POST /api/v1/session -H 'Content-Type: application/json' --data '{"username":"heping-clerk","password":"x"}'
expect_error 403 csrf_refused
http POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Requested-With: 1' \
    -H 'Origin: http://evil.example' --data '{"username":"heping-clerk","password":"x"}'
expect_error 403 csrf_refused
http POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Requested-With: 1' \
    -H "Origin: $BASE_URL" --data "{\"username\":\"王芳\",\"password\":\"$DEMO_PASSWORD\"}"
expect_status 201 "a login from our own origin (with its port), as browsers send it, is let in"
http POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Requested-With: 1' \
    -H 'Sec-Fetch-Site: cross-site' --data '{"username":"heping-clerk","password":"x"}'
expect_error 403 csrf_refused
http DELETE /api/v1/session -b "$(jar heping-clerk)"
expect_error 403 csrf_refused
as heping-clerk GET /api/v1/me
expect_status 200 "a refused cross-site logout leaves the session alive"

# --- Jurisdiction ------------------------------------------------------------------------------

as heping-clerk GET /api/v1/regions/210102001
expect_status 200 "a county user reads a township of her county"
as heping-clerk GET /api/v1/regions/210102
expect_json '.ancestors' '[]' "ancestors above the jurisdiction are left out"
as heping-clerk GET /api/v1/regions/210103
expect_error 404 not_found
login shenhe-clerk
expect_status 201
for outside in 210102 210102001 210102001002 2101 21; do
    as shenhe-clerk GET "/api/v1/regions/$outside"
    expect_error 404 not_found
    as shenhe-clerk GET "/api/v1/regions/$outside/children"
    expect_error 404 not_found
done
as shenhe-clerk GET /api/v1/regions/210103/children
expect_status 200 "the sibling county reads its own children"
login liaoning-admin
as liaoning-admin GET /api/v1/regions/210102
expect_json '[.ancestors[].code]' '["21","2101"]' "a province admin sees the whole path"

# --- A new token at every login; logout ----------------------------------------------------------

old=$(session_token heping-clerk)
http POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Requested-With: 1' \
    -b "$(jar heping-clerk)" -c "$(jar heping-clerk)" --data "{\"username\":\"heping-clerk\",\"password\":\"$DEMO_PASSWORD\"}"
expect_status 201
new=$(session_token heping-clerk)
check "a second login gets a new token" test "$old" != "$new"
http GET /api/v1/me -H "Cookie: jiceng_session=$old"
expect_error 401 unauthorized "the replaced session is over"
as heping-clerk DELETE /api/v1/session
expect_status 204
expect_header Set-Cookie 'Max-Age=0'
http GET /api/v1/me -H "Cookie: jiceng_session=$new"
expect_error 401 unauthorized "a token replayed after logout is refused"
expect_eq "$(sql "SELECT end_reason FROM session WHERE token_hash = UNHEX(SHA2('$new', 256))")" logout

# --- Timeouts ----------------------------------------------------------------------------------

login heping-clerk
age_session heping-clerk last_seen_at 29
as heping-clerk GET /api/v1/me
expect_status 200 "29 idle minutes are within the idle timeout"
age_session heping-clerk last_seen_at 31
as heping-clerk GET /api/v1/me
expect_error 401 unauthorized "31 idle minutes end the session"
login heping-clerk
sql "UPDATE session SET expires_at = NOW(3) - INTERVAL 1 SECOND
     WHERE token_hash = UNHEX(SHA2('$(session_token heping-clerk)', 256))"
as heping-clerk GET /api/v1/me
expect_error 401 unauthorized "the absolute timeout ends the session"

# --- The directory is asked again every refresh_interval ----------------------------------------

viewer_dn="uid=heping-viewer,ou=和平区,ou=沈阳市,ou=辽宁省,dc=fulian,dc=example"
login heping-viewer
expect_json .user.roles '["viewer"]'
group_member add jiceng-clerk "$viewer_dn"
age_session heping-viewer refreshed_at 4
as heping-viewer GET /api/v1/me
expect_json .roles '["viewer"]' "within refresh_interval the snapshot holds"
age_session heping-viewer refreshed_at 6
as heping-viewer GET /api/v1/me
expect_json .roles '["viewer","clerk"]' "after refresh_interval a new group counts, without a new login"
group_member delete jiceng-clerk "$viewer_dn"
group_member delete jiceng-viewer "$viewer_dn"
age_session heping-viewer refreshed_at 6
as heping-viewer GET /api/v1/me
expect_error 401 unauthorized "removed from every group, the user is out within refresh_interval"
group_member add jiceng-viewer "$viewer_dn"
login heping-viewer
expect_status 201 "back in the group, the user logs in again"

# --- The directory down ------------------------------------------------------------------------

login hunhewan-viewer
ldap_stop
as hunhewan-viewer GET /api/v1/me
expect_status 200 "a live session works while the directory is down"
age_session hunhewan-viewer refreshed_at 10
as hunhewan-viewer GET /api/v1/me
expect_status 200 "within the outage grace the snapshot is used"
age_session hunhewan-viewer refreshed_at 21
as hunhewan-viewer GET /api/v1/me
expect_error 503 directory_unavailable
login hunhewan-clerk
expect_error 503 unavailable
ldap_start
as hunhewan-viewer GET /api/v1/me
expect_status 200 "the session carries on when the directory is back"

# --- Lockout -------------------------------------------------------------------------------------

for _ in 1 2 3 4 5; do
    login hunhewan-approver wrong-password
done
expect_error 401 invalid_credentials
login hunhewan-approver
expect_error 429 too_many_attempts
expect_header Retry-After '^[0-9]+$'
login hunhewan-admin
expect_status 201 "another user from the same address is not locked"
sql "DELETE FROM login_throttle"

# --- Admins and their jurisdiction ---------------------------------------------------------------

login heping-clerk
clerk_id=$(sql "SELECT id FROM session WHERE token_hash = UNHEX(SHA2('$(session_token heping-clerk)', 256))")
shenhe_id=$(sql "SELECT id FROM session WHERE token_hash = UNHEX(SHA2('$(session_token shenhe-clerk)', 256))")
as heping-clerk GET /api/v1/sessions
expect_error 403 forbidden
login heping-admin
as heping-admin GET /api/v1/sessions
expect_status 200
expect_json "[.items[] | select(.id == $clerk_id) | .username]" '["heping-clerk"]'
expect_json "[.items[] | select(.id == $shenhe_id)]" '[]' "a sibling county's session is not listed"
expect_json '[.items[] | select(.current) | .username]' '["heping-admin"]'
as heping-admin DELETE "/api/v1/sessions/$shenhe_id"
expect_error 404 not_found
as shenhe-clerk GET /api/v1/me
expect_status 200 "a session outside the admin's jurisdiction cannot be revoked"
as heping-admin DELETE /api/v1/sessions/abc
expect_error 400 invalid_parameter
as heping-admin DELETE "/api/v1/sessions/$clerk_id"
expect_status 204
as heping-clerk GET /api/v1/me
expect_error 401 unauthorized "a revoked session is over"

# --- The audit log -----------------------------------------------------------------------------

expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE entity = 'session' AND action = 'end'
    AND entity_id = '$clerk_id' AND actor = 'heping-admin' AND after_data LIKE '%revoked%'")" 1 \
    "the revocation is in the audit log"
check "the audit log refuses updates" \
    bash -c "! mariadb --defaults-file='$DB_APP_CNF' -e 'UPDATE audit_log SET actor = 1' 2>/dev/null"
check "the audit log refuses deletes" \
    bash -c "! mariadb --defaults-file='$DB_APP_CNF' -e 'DELETE FROM audit_log' 2>/dev/null"

as heping-admin GET "/api/v1/audit?entity=session&entity_id=$clerk_id"
expect_status 200
expect_json '[.items[] | .action]' '["end","login"]' "an admin reads a session's history, newest first"
expect_json '.items[0].after.end_reason' '"revoked"'
as heping-admin GET "/api/v1/audit?entity=session&entity_id=$shenhe_id"
expect_json '.items' '[]' "the sibling county's entries are not in a county admin's audit log"
as heping-admin GET "/api/v1/audit?limit=1000"
expect_error 400 invalid_parameter
as heping-admin GET "/api/v1/audit?limit=2"
expect_json '.items | length' 2
cursor=$(printf '%s' "$HTTP_BODY" | jq -r .next_cursor)
first_ids=$(printf '%s' "$HTTP_BODY" | jq -c '[.items[].id]')
as heping-admin GET "/api/v1/audit?limit=2&cursor=$cursor"
check "the next page starts below the last id" \
    jq -e --argjson prev "$first_ids" '[.items[].id] | all(. < ($prev | min))' <<<"$HTTP_BODY"
as heping-clerk GET /api/v1/audit
expect_error 401 unauthorized
login heping-clerk
as heping-clerk GET /api/v1/audit
expect_error 403 forbidden

#!/usr/bin/env bash
# Another application behind the same nginx reusing the Jiceng login (nginx/jiceng-auth.conf and
# nginx/jiceng-protect.conf): the test stack's /demo-app/ is protected by the snippet and proxied
# to an echo server that answers with the X-Jiceng-* headers it received.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

# percent_decode STRING: the bytes a percent-encoded string stands for.
percent_decode() {
    local s=${1//\\/\\\\}
    printf '%b' "${s//%/\\x}"
}

# directory_name UID: the displayName of UID in the demo directory (ldapsearch prints non-ASCII
# values in base64, after a double colon).
directory_name() {
    local line
    line=$(ldap_search -o ldif-wrap=no "(uid=$1)" displayName | grep '^displayName:')
    if [[ $line == 'displayName:: '* ]]; then
        base64 -d <<<"${line#displayName:: }"
    else
        printf '%s' "${line#displayName: }"
    fi
}

# expect_login_redirect NEXT [DESCRIPTION]: the last answer sends the browser to the login page,
# which is to come back to NEXT.
expect_login_redirect() {
    expect_status 303 "${2:-$HTTP_REQUEST is sent to log in}"
    expect_eq "$(header Location)" "/login.html#next=$1" "${2:-$HTTP_REQUEST}: Location"
    check "${2:-$HTTP_REQUEST}: the application did not answer" \
        test "$(jq -r '.user? // empty' <<<"$HTTP_BODY" 2>/dev/null)" = ''
}

# expect_user USER NAME REGION LEVEL ROLES: the echo application saw these X-Jiceng-* headers
# (user and name percent-decoded).
expect_user() {
    expect_status 200 "$HTTP_REQUEST reaches the application as $1"
    local got_user got_name
    got_user=$(jq -r .user <<<"$HTTP_BODY")
    got_name=$(jq -r .name <<<"$HTTP_BODY")
    expect_eq "$(percent_decode "$got_user")" "$1" "X-Jiceng-User is $1"
    expect_eq "$(percent_decode "$got_name")" "$2" "X-Jiceng-Name is $2"
    check "X-Jiceng-User and -Name are percent-encoded (plain ASCII)" \
        grep -qE '^[A-Za-z0-9%._~-]+$' <<<"$got_user$got_name"
    expect_json .region "\"$3\"" "X-Jiceng-Region is $3"
    expect_json .level "\"$4\"" "X-Jiceng-Level is $4"
    expect_json .roles "\"$5\"" "X-Jiceng-Roles is $5"
}

# roles_of: the roles in the last login answer, comma-separated as the check sends them.
roles_of() {
    jq -r '.user.roles | join(",")' <<<"$HTTP_BODY"
}

# --- Without a session ----------------------------------------------------------------------

http GET /demo-app/
expect_login_redirect /demo-app/
http GET '/demo-app/list?region=210102&page=2'
expect_login_redirect '/demo-app/list?region=210102&page=2' "the return address keeps the query"
http POST /demo-app/form --data 'a=1'
expect_login_redirect /demo-app/form "a POST without a session is sent to log in"

# A link that would send the user off-site after logging in comes back to / instead.
http GET //evil.example/demo-app/ --path-as-is
expect_status 404 "//evil.example/demo-app/ is no protected location"
http GET //demo-app/ --path-as-is
expect_login_redirect / "//demo-app/ does not come back to a protocol-relative address"

# Headers a client sends do not let it in.
http GET /demo-app/ -H 'X-Jiceng-User: admin' -H 'X-Jiceng-Roles: admin' -H 'X-Jiceng-Region: 21'
expect_login_redirect /demo-app/ "forged X-Jiceng-* headers without a session are refused"
http GET /demo-app/ -H 'Cookie: jiceng_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
expect_login_redirect /demo-app/ "a made-up session cookie is refused"

http GET /__jiceng/auth
expect_status 404 "the check location is internal"

# --- Logged in ------------------------------------------------------------------------------

login heping-clerk
clerk_jar=$(jar heping-clerk)
expect_status 201 "heping-clerk logs in"
clerk_roles=$(roles_of)
check "heping-clerk has the clerk role" grep -qw clerk <<<"$clerk_roles"

http GET /demo-app/ -b "$clerk_jar" -H 'X-Jiceng-User: admin' -H 'X-Jiceng-Roles: admin' \
    -H 'X-Jiceng-Region: 21' -H 'X-Jiceng-Level: province' -H 'X-Jiceng-Name: %E6%9D%A8'
expect_user heping-clerk "$(directory_name heping-clerk)" 210102 county "$clerk_roles"

# A body for the protected application reaches it, and the check does not wait for it.
head -c 100000 /dev/zero | tr '\0' a >"$TEST_TMP/body"
http POST /demo-app/form -b "$clerk_jar" --data-binary @"$TEST_TMP/body"
expect_status 200 "a POST with a 100 kB body passes"
expect_json .method '"POST"' "the application sees the POST"

login 王芳
wang_jar=$(jar 王芳)
expect_status 201 "王芳 logs in"
wang_roles=$(roles_of)
http GET /demo-app/ -b "$wang_jar" -H 'X-Jiceng-User: heping-admin'
expect_user 王芳 "$(directory_name 王芳)" 210102001 township "$wang_roles"
expect_json .user '"%E7%8E%8B%E8%8A%B3"' "王芳 arrives as %E7%8E%8B%E8%8A%B3"

# --- Logged out -----------------------------------------------------------------------------

cp "$clerk_jar" "$TEST_TMP/clerk-before-logout.jar"
http DELETE /api/v1/session -b "$clerk_jar" -c "$clerk_jar" -H 'X-Requested-With: XMLHttpRequest'
expect_status 204 "heping-clerk logs out"
http GET /demo-app/ -b "$TEST_TMP/clerk-before-logout.jar"
expect_login_redirect /demo-app/ "the cookie of a logged-out session is refused"
http GET /demo-app/ -b "$wang_jar"
expect_status 200 "another user's session is not affected"

# --- The check cannot answer ----------------------------------------------------------------

demo_app_answers() {
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -b "$wang_jar" \
        "$BASE_URL/demo-app/") == 200 ]]
}

db_stop
http GET /demo-app/ -b "$wang_jar"
expect_status 503 "with the database down the protected application answers 503"
check "the 503 says to try again" grep -q '稍后再试' <<<"$HTTP_BODY"
db_start
check "the protected application answers again once the database is back" \
    wait_until demo_app_answers

app_stop
http GET /demo-app/ -b "$wang_jar"
expect_status 503 "with jiceng down the protected application answers 503"
app_start
check "the protected application answers again once jiceng is back" wait_until demo_app_answers
http GET /demo-app/ -b "$wang_jar"
expect_user 王芳 "$(directory_name 王芳)" 210102001 township "$wang_roles"

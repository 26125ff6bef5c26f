# shellcheck shell=bash
# Sourced by every integration test (tests/integration/*.sh). ctest starts the test stack first
# (tests/stack-fixture up) and passes JICENG_TEST_STATE; this loads what the fixture wrote and
# gives the tests HTTP requests, assertions and control over the servers for fault tests.
#
#   source "$(dirname "$0")/lib.sh"
#   http GET /api/v1/health
#   expect_status 200
#   expect_json .database '"up"'
#
# The script ends with the line "N passed, N failed" and exits non-zero when a check failed,
# when no check ran, or when the script itself stopped on an error. Servers a test stopped are
# started again on the way out, so one failing fault test does not break the ones after it.
set -euo pipefail

# ctest runs every tests/integration/*.sh, this file too: as a script it has nothing to test.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    echo "lib.sh is sourced by the integration tests; it is not a test itself"
    exit 0
fi

: "${JICENG_TEST_STATE:?run integration tests through ctest, which starts the test stack}"
if [[ ! -s $JICENG_TEST_STATE/env ]]; then
    echo "error: no test stack in $JICENG_TEST_STATE (did stack.up fail?)" >&2
    exit 1
fi
# shellcheck source=/dev/null
source "$JICENG_TEST_STATE/env"
# shellcheck source=stack/lib.sh
source "$JICENG_SOURCE/stack/lib.sh"
stack_load "$JICENG_TEST_STATE"
# shellcheck disable=SC2034 # read by stack/lib.sh
STACK_BIN=$JICENG_BIN

TEST_NAME=$(basename "$0" .sh)
TEST_PASSED=0
TEST_FAILED=0
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-test.XXXXXX")

# ---------------------------------------------------------------------------------------------
# Results

pass() {
    TEST_PASSED=$((TEST_PASSED + 1))
    printf 'ok   %s\n' "$*"
}

# fail MESSAGE: records a failure, and shows the last request to help find out why.
fail() {
    TEST_FAILED=$((TEST_FAILED + 1))
    printf 'FAIL %s\n' "$*"
    if [[ -n ${HTTP_REQUEST:-} ]]; then
        printf '     after %s -> %s\n' "$HTTP_REQUEST" "${HTTP_STATUS:-}"
        printf '     body: %.600s\n' "${HTTP_BODY:-}"
    fi
}

# check DESCRIPTION CMD...: passes when CMD succeeds.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

# expect_eq ACTUAL EXPECTED [DESCRIPTION]
expect_eq() {
    local what=${3:-"'$1' = '$2'"}
    if [[ $1 == "$2" ]]; then pass "$what"; else fail "$what: got '$1', want '$2'"; fi
}

# ---------------------------------------------------------------------------------------------
# HTTP

# http METHOD PATH [CURL ARGS...]: one request to nginx. Sets HTTP_STATUS, HTTP_BODY,
# HTTP_HEADERS (the response headers, CRs removed) and HTTP_CONTENT_TYPE. Extra arguments go to
# curl, e.g.  http POST /api/v1/x -H 'Content-Type: application/json' --data '{"a":1}'
http() {
    local method=$1 path=$2
    shift 2
    HTTP_REQUEST="$method $path"
    # Long paths (tests of limits) would flood the output.
    ((${#path} <= 100)) || HTTP_REQUEST="$method ${path:0:60}... (${#path} bytes)"
    # curl -X HEAD would wait for a body that never comes.
    local how=(-X "$method")
    [[ $method == HEAD ]] && how=(--head)
    HTTP_STATUS=$(curl -sS "${how[@]}" -o "$TEST_TMP/body" -D "$TEST_TMP/headers" \
        -w '%{http_code}' --max-time 30 "$@" "$BASE_URL$path") || HTTP_STATUS=000
    HTTP_BODY=$(cat "$TEST_TMP/body" 2>/dev/null || true)
    HTTP_HEADERS=$(tr -d '\r' <"$TEST_TMP/headers" 2>/dev/null || true)
    # shellcheck disable=SC2034 # for the tests
    HTTP_CONTENT_TYPE=$(header Content-Type)
}

# jar USER: the cookie file that holds USER's session in this test.
jar() {
    printf '%s/%s.cookies' "$TEST_TMP" "$(printf '%s' "$1" | md5sum | cut -c1-16)"
}

# login USER [PASSWORD]: logs USER in through the API (password: the demo one) and keeps the
# session cookie in USER's jar. Sets HTTP_* like http; check HTTP_STATUS (201) yourself.
login() {
    local body
    body=$(jq -cn --arg u "$1" --arg p "${2-$DEMO_PASSWORD}" '{username: $u, password: $p}')
    http POST /api/v1/session -H 'Content-Type: application/json' \
        -H 'X-Requested-With: XMLHttpRequest' -c "$(jar "$1")" --data "$body"
}

# as USER METHOD PATH [CURL ARGS...]: http with USER's session cookie and the header our UI
# sends with requests that change data. Cookie changes (logout) go back to the jar.
as() {
    local user=$1 method=$2 path=$3
    shift 3
    http "$method" "$path" -b "$(jar "$user")" -c "$(jar "$user")" \
        -H 'X-Requested-With: XMLHttpRequest' "$@"
}

# session_token USER: the token in USER's jar.
session_token() {
    awk '$6 == "jiceng_session" { print $7 }' "$(jar "$1")"
}

# header NAME: the value of a response header of the last request (first one, case-insensitive).
# A here-string, not printf into a pipe: bash writes to a pipe line by line, and awk leaving at
# the first match would make a later line's write fail (SIGPIPE, exit 141 under pipefail).
header() {
    awk -v name="$1" '
        BEGIN { name = tolower(name) ":" }
        tolower(substr($0, 1, length(name))) == name {
            sub(/^[^:]*:[ \t]*/, ""); print; exit
        }' <<<"$HTTP_HEADERS"
}

# expect_status CODE [DESCRIPTION]
expect_status() {
    expect_eq "$HTTP_STATUS" "$1" "${2:-$HTTP_REQUEST answers $1}"
}

# expect_json FILTER EXPECTED [DESCRIPTION]: jq FILTER applied to the last body, compact, equals
# EXPECTED, which is JSON text: '"up"' for a string, 3, true, null, '{"a":1}'.
expect_json() {
    local got
    if ! got=$(printf '%s' "$HTTP_BODY" | jq -c "$1" 2>&1); then
        fail "${3:-$1 == $2}: body is not JSON or filter failed: $got"
        return 0
    fi
    expect_eq "$got" "$(jq -cn "$2" 2>/dev/null || printf '%s' "$2")" "${3:-$HTTP_REQUEST: $1 == $2}"
}

# expect_same_as_get USER PATH DESCRIPTION: the last answer's body is, byte for byte, what
# USER's GET of PATH answers now (an answer built from what a change wrote, not read back).
expect_same_as_get() {
    local answer=$HTTP_BODY
    as "$1" GET "$2"
    expect_eq "$HTTP_BODY" "$answer" "$3"
}

# expect_header NAME REGEX [DESCRIPTION]: the last response has header NAME matching REGEX.
expect_header() {
    local got
    got=$(header "$1")
    if [[ $got =~ $2 ]]; then
        pass "${3:-$HTTP_REQUEST: $1 ~ $2}"
    else
        fail "${3:-$HTTP_REQUEST: $1 ~ $2}: got '$got'"
    fi
}

# expect_error STATUS CODE: the last answer is STATUS with {"error":{"code":CODE,...}} in JSON.
expect_error() {
    expect_status "$1"
    expect_header Content-Type '^application/json'
    expect_json .error.code "\"$2\""
}

# ---------------------------------------------------------------------------------------------
# The database, and requests that must change nothing

# For requests with a JSON body:  as USER POST PATH "${JSON[@]}" --data '{...}'
JSON=(-H 'Content-Type: application/json')

# sql TEXT: runs TEXT as the admin account; rows without headers, columns separated by spaces.
sql() { db_admin --skip-column-names -e "$1" | tr '\t' ' '; }

# The tables whose content `refused` and `state` compare; a test sets its own.
WATCHED_TABLES=()

# state: the audit log's size and the size and a checksum of the rows of each of
# WATCHED_TABLES, as one line, to compare before and after a request that must change nothing.
# Not CHECKSUM TABLE: on a table with generated columns it gave another sum after a rolled-back
# insert, the same rows notwithstanding.
declare -A STATE_ROW=() # per table: the expression of a row's checksum, made once
state() {
    local table query="SELECT COUNT(*) FROM audit_log;"
    for table in "${WATCHED_TABLES[@]}"; do
        if [[ -z ${STATE_ROW[$table]:-} ]]; then
            STATE_ROW[$table]=$(sql "SET SESSION group_concat_max_len = 65536;
                SELECT CONCAT('CRC32(CONCAT_WS(''|'', ', GROUP_CONCAT(CONCAT('IFNULL(\`', column_name,
                    '\`, ''-'')') ORDER BY ordinal_position), '))')
                FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '$table'")
        fi
        query+=" SELECT COUNT(*), COALESCE(SUM(${STATE_ROW[$table]}), 0) FROM $table;"
    done
    sql "$query" | tr '\n' ' '
}

# refused STATUS CODE FIELD USER METHOD PATH [BODY]: the request answers STATUS with the error
# CODE naming FIELD ("-" for any) and changes nothing in WATCHED_TABLES or the audit log.
refused() {
    local status=$1 code=$2 field=$3 user=$4 method=$5 path=$6 body=${7-} before
    before=$(state)
    if [[ -n $body ]]; then
        as "$user" "$method" "$path" "${JSON[@]}" --data "$body"
    else
        as "$user" "$method" "$path"
    fi
    expect_error "$status" "$code"
    [[ $field == - ]] || expect_json .error.field "\"$field\""
    expect_eq "$(state)" "$before" "$user $method $path ${body:0:60}: nothing written"
}

# ---------------------------------------------------------------------------------------------
# Waiting and fault injection

# wait_until [--timeout SECONDS] CMD...: runs CMD until it succeeds; returns 1 after the
# deadline (default 30 s), so the caller decides whether that is a failure.
wait_until() {
    local timeout=30
    if [[ $1 == --timeout ]]; then
        timeout=$2
        shift 2
    fi
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

TEST_STOPPED=" "

# db_stop / db_start: stop the test MariaDB (SIGTERM, wait until gone) and start it again
# (returns when it answers a ping).
db_stop() {
    TEST_STOPPED+="db "
    stack_mariadb_stop
}
db_start() {
    stack_mariadb_start
    TEST_STOPPED=${TEST_STOPPED//db /}
}

# ldap_stop / ldap_start: the same for slapd.
ldap_stop() {
    TEST_STOPPED+="ldap "
    stack_slapd_stop
}
ldap_start() {
    stack_slapd_start
    TEST_STOPPED=${TEST_STOPPED//ldap /}
}

# app_stop / app_start: the same for jiceng serve (app_start returns when its socket exists).
app_stop() {
    TEST_STOPPED+="app "
    stack_jiceng_stop
}
app_start() {
    stack_jiceng_start
    TEST_STOPPED=${TEST_STOPPED//app /}
}

# ---------------------------------------------------------------------------------------------
# The end of every test script

test_finish() {
    local rc=$?
    trap - EXIT
    set +e
    # In subshells: a server that does not come back is a failure to report, not a reason to
    # end without the closing line.
    if [[ $TEST_STOPPED == *" db "* ]]; then (db_start) || fail "MariaDB did not start again"; fi
    if [[ $TEST_STOPPED == *" ldap "* ]]; then (ldap_start) || fail "slapd did not start again"; fi
    if [[ $TEST_STOPPED == *" app "* ]]; then (app_start) || fail "jiceng did not start again"; fi
    rm -rf "$TEST_TMP"
    if ((rc != 0)); then
        fail "$TEST_NAME stopped early (exit status $rc)"
    elif ((TEST_PASSED + TEST_FAILED == 0)); then
        fail "$TEST_NAME ran no check"
    fi
    printf '%d passed, %d failed\n' "$TEST_PASSED" "$TEST_FAILED"
    ((TEST_FAILED == 0)) || exit 1
    exit 0
}
# A command that fails outside a check ends the script (set -e); say which one, or the only
# trace of it would be "stopped early".
set -o errtrace
trap 'printf "error: line %s of %s: %s (exit status %s)\n" "$LINENO" "$TEST_NAME" "$BASH_COMMAND" "$?" >&2' ERR
trap test_finish EXIT

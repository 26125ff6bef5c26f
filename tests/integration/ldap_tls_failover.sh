#!/usr/bin/env bash
# The connection side of directory login, against two real slapd servers holding the demo
# directory: ldaps:// and StartTLS with a test CA made by openssl (verification on unless
# insecure_skip_verify), failover to the second server, kept connections that break and come
# back, an unreachable directory, a server that accepts and never answers, anonymous searches.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/ldap/lib.sh
source "$JICENG_SOURCE/tests/ldap/lib.sh"
trap tldap_finish EXIT

S=dc=fulian,dc=example
SEARCH_DN="cn=jiceng-search,ou=services,$S"
PW=Demo-2026

tldap_init
SEARCH_PW=$(stack_random)
# "two" lets anonymous users read (passwords excepted): the anonymous search case.
for server in one two; do
    access=strict
    [[ $server == two ]] && access=open
    tldap_server "$server" openldap "$S" "$SEARCH_DN" "$access"
    tldap_load "$server" "$JICENG_SOURCE/auth/demo-directory.ldif"
    tldap_load "$server" - <<EOF
dn: $SEARCH_DN
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: jiceng-search
userPassword: $(slappasswd -s "$SEARCH_PW")
EOF
done
free_port DEAD_PORT # nothing listens there
DEAD_URI="ldap://127.0.0.1:$DEAD_PORT/"

ROLES=("[roles]" "viewer = cn=jiceng-viewer,ou=groups,$S" "clerk = cn=jiceng-clerk,ou=groups,$S"
    "approver = cn=jiceng-approver,ou=groups,$S" "admin = cn=jiceng-admin,ou=groups,$S")

# settings NAME LINE...: [directory] for the demo directory with these lines; prints the path.
settings() {
    local file=$TLDAP_DIR/$1.ini
    shift
    tldap_ini "$file" "[directory]" "timeout = 2" "bind_dn = $SEARCH_DN" \
        "bind_password = $SEARCH_PW" "base_dn = $S" "$@" "${ROLES[@]}"
    printf '%s' "$file"
}

# ---------------------------------------------------------------------------------------------
# TLS: ldaps:// and StartTLS, the certificate verified against ca_file

LDAPS=$(tldap_uri one ldaps)
PLAIN=$(tldap_uri one)
login "$(settings ldaps "uri = $LDAPS" "ca_file = $TLDAP_CA_FILE")" heping-admin "$PW"
expect_login "ldaps:// with the test CA" ok "roles=admin"
login "$(settings ldaps-untrusted "uri = $LDAPS")" heping-admin "$PW"
expect_login "ldaps:// without the CA: the certificate is refused" unavailable \
    "message=目录服务暂时无法连接，请稍后再试"
echo "     logged: ${LOGIN_ERR#* error }"
login "$(settings ldaps-insecure "uri = $LDAPS" "insecure_skip_verify = true")" heping-admin "$PW"
expect_login "ldaps:// with insecure_skip_verify" ok
check "...which warns" grep -q 'warn .*insecure_skip_verify is on' <<<"$LOGIN_ERR"

before=$(tldap_log_lines one 'EXT oid=1.3.6.1.4.1.1466.20037')
login "$(settings starttls "uri = $PLAIN" "starttls = true" "ca_file = $TLDAP_CA_FILE")" \
    heping-admin "$PW"
expect_login "StartTLS with the test CA" ok "roles=admin"
check "...StartTLS reached the server (search and bind connections)" \
    test "$(tldap_log_lines one 'EXT oid=1.3.6.1.4.1.1466.20037')" -ge $((before + 2))
login "$(settings starttls-untrusted "uri = $PLAIN" "starttls = true")" heping-admin "$PW"
expect_login "StartTLS without the CA: the certificate is refused" unavailable
login "$(settings starttls-insecure "uri = $PLAIN" "starttls = true" \
    "insecure_skip_verify = true")" heping-admin "$PW"
expect_login "StartTLS with insecure_skip_verify" ok
login "$(settings ldaps-starttls "uri = $LDAPS" "starttls = true" "ca_file = $TLDAP_CA_FILE")" \
    heping-admin "$PW"
expect_login "starttls on an ldaps:// URI (TLS already): no second handshake" ok
login "$(settings no-ca "uri = $LDAPS" "ca_file = $TLDAP_DIR/no-such-ca.pem")" heping-admin "$PW"
expect_eq "$LOGIN_RC" 2 "a ca_file that cannot be read is refused at start"

# ---------------------------------------------------------------------------------------------
# Anonymous search (bind_dn empty) on the server that allows it

login "$(settings anonymous "uri = $(tldap_uri two)" "bind_dn =" "bind_password =")" \
    heping-admin "$PW"
expect_login "anonymous search, then the user's bind" ok "roles=admin"

# ---------------------------------------------------------------------------------------------
# Unreachable, failover, kept connections

login "$(settings dead "uri = $DEAD_URI")" heping-admin "$PW"
expect_login "no server listening: unavailable" unavailable
expect_eq "$LOGIN_RC" 1 "...and check-login exits 1"
refresh "$(settings dead "uri = $DEAD_URI")" "uid=heping-admin,ou=和平区,ou=沈阳市,ou=辽宁省,$S"
expect_login "refresh with no server listening: unavailable (the session is kept)" unavailable
login "$(settings dead-then-two "uri = $DEAD_URI $(tldap_uri two)")" heping-admin "$PW"
expect_login "the first URI refuses: the second serves" ok "roles=admin"

# One check-login process, several attempts on its kept connections, a server stopped between
# them. Passwords go through a FIFO; each attempt's lines are read back when its result is out.
session_start() {
    rm -f "$TLDAP_DIR/fifo"
    mkfifo "$TLDAP_DIR/fifo"
    "$JICENG_BIN" check-login --config "$1" -- "$2" <"$TLDAP_DIR/fifo" \
        >"$TLDAP_DIR/session.out" 2>"$TLDAP_DIR/session.err" &
    SESSION_PID=$!
    exec 7>"$TLDAP_DIR/fifo"
    SESSION_ATTEMPTS=0
}
session_has() { (($(grep -c '^result:' "$TLDAP_DIR/session.out") >= $1)); }
session_attempt() {
    printf '%s\n' "$1" >&7
    SESSION_ATTEMPTS=$((SESSION_ATTEMPTS + 1))
    wait_until --timeout 30 session_has "$SESSION_ATTEMPTS" || true
    LOGIN_OUT=$(awk -v n="$SESSION_ATTEMPTS" '/^result:/ { i++ } i == n' "$TLDAP_DIR/session.out")
    LOGIN_ERR=$(<"$TLDAP_DIR/session.err")
}
session_end() {
    exec 7>&-
    wait "$SESSION_PID" || true
}

session_start "$(settings failover "uri = $PLAIN $(tldap_uri two)")" heping-admin
session_attempt "$PW"
expect_login "failover: the first server serves" ok
binds_on_two=$(tldap_log_lines two 'BIND dn="uid=heping-admin')
tldap_stop one
session_attempt "$PW"
expect_login "failover: the first server stopped, the second takes over on the same process" ok \
    "roles=admin" "refresh=ok"
check "...the bind went to the second server" \
    test "$(tldap_log_lines two 'BIND dn="uid=heping-admin')" -gt "$binds_on_two"
session_end
tldap_start one

session_start "$(settings outage "uri = $PLAIN")" heping-admin
session_attempt "$PW"
expect_login "outage: a login before" ok
tldap_stop one
session_attempt "$PW"
expect_login "outage: during it, unavailable" unavailable
session_attempt "$PW"
expect_login "outage: still unavailable" unavailable
tldap_start one
session_attempt "$PW"
expect_login "outage: after it, the kept connections are opened again" ok
session_end
expect_eq "$(grep -c ' error .*unavailable' <<<"$LOGIN_ERR")" 1 \
    "the outage is logged once, not once per attempt"
check "...and its end too" grep -q 'answers again' <<<"$LOGIN_ERR"

tldap_pause two
start=$SECONDS
login "$(settings hung "uri = $(tldap_uri two)" "timeout = 1")" heping-admin "$PW"
elapsed=$((SECONDS - start))
tldap_resume two
expect_login "a server that accepts and never answers: unavailable" unavailable
check "...within the timeout, not for ever (${elapsed}s with timeout = 1)" test "$elapsed" -le 4

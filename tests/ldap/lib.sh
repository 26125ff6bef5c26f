# shellcheck shell=bash
# Private slapd servers for the directory tests (tests/integration/ldap_*.sh). Each server has a
# folder in one temporary directory and loopback ports of its own, and serves ldap:// (with
# StartTLS), ldaps:// and ldapi:// with a certificate from a test CA that tldap_init makes with
# openssl. tldap_finish, the test's EXIT trap, stops them and removes the directory; a test killed
# outright (a ctest timeout) takes its servers with it, since each gets SIGTERM when the test's
# shell dies (setpriv --pdeathsig).
#
# Uses stack/lib.sh (free_port, stack_wait, stack_alive, stack_urlencode, stack_fail, stack_say),
# which tests/integration/lib.sh sources.
#
#   tldap_init                               temporary directory, test CA, server certificate
#   tldap_server NAME SHAPE SUFFIX SEARCH_DN [open]
#                                            builds and starts a server: SHAPE openldap (memberof
#                                            and ppolicy overlays) or ad (the AD test schema,
#                                            memberof on objectClass group); "open" lets anonymous
#                                            users read (not passwords)
#   tldap_admin NAME TOOL ARGS...            ldapadd/ldapmodify/... as the root DN over ldapi
#   tldap_stop NAME / tldap_start NAME       stop (TERM, wait) and start again, same data
#   tldap_pause NAME / tldap_resume NAME     SIGSTOP/SIGCONT: a server that accepts and never answers
#   tldap_uri NAME [ldaps]                   its ldap:// (or ldaps://) URI
#   tldap_load NAME FILE [ARGS]              ldapadd of an LDIF file ("-": standard input)
#   tldap_log_lines NAME PATTERN             how many lines of its log (-d stats) match PATTERN
#
# And for running `jiceng check-login` (JICENG_BIN) and checking what it printed:
#   tldap_ini FILE LINE...                   writes a settings file
#   login CONFIG USERNAME PASSWORD [OPTS]    one login; sets LOGIN_OUT, LOGIN_ERR, LOGIN_RC
#   refresh CONFIG DN                        one refresh (check-login --refresh), the same
#   login_field NAME                         the value of "NAME: value" in LOGIN_OUT
#   expect_login DESCRIPTION RESULT [NAME=VALUE...]
#                                            the last login came to RESULT with those fields

TLDAP_SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
declare -gA TLDAP_PORT TLDAP_TLS_PORT TLDAP_SUFFIX
TLDAP_NAMES=()

tldap_init() {
    TLDAP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/jiceng-ldap.XXXXXX")
    TLDAP_ADMIN_PASSWORD=$(stack_random)
    tldap_make_ca
}

# tldap_make_ca: a CA and a certificate for 127.0.0.1 and localhost signed by it, in
# $TLDAP_DIR/tls. Made per run, never kept: tests must not depend on a certificate in the tree.
tldap_make_ca() {
    local d=$TLDAP_DIR/tls log=$TLDAP_DIR/openssl.log
    mkdir -p "$d"
    local curve=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    {
        openssl req -x509 "${curve[@]}" -days 2 -subj "/CN=Jiceng test CA" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
            -keyout "$d/ca.key" -out "$d/ca.pem" &&
            openssl req "${curve[@]}" -subj "/CN=127.0.0.1" -keyout "$d/server.key" \
                -out "$d/server.csr" &&
            printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=CA:FALSE' \
                'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth' >"$d/server.ext" &&
            openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
                -CAcreateserial -days 2 -extfile "$d/server.ext" -out "$d/server.pem"
    } >>"$log" 2>&1 || stack_fail "could not make the test CA with openssl" "$log"
    # shellcheck disable=SC2034 # for the tests
    TLDAP_CA_FILE=$d/ca.pem
}

# tldap_config_ldif NAME SHAPE SUFFIX SEARCH_DN ACCESS: cn=config of a server, on standard output.
tldap_config_ldif() {
    local name=$1 shape=$2 suffix=$3 search_dn=$4 access=$5 dir=$TLDAP_DIR/$1
    local rootpw group_oc=groupOfNames modules=$'olcModuleLoad: memberof\nolcModuleLoad: ppolicy'
    local schema="" indexes=$'olcDbIndex: uid eq\nolcDbIndex: memberUid eq'
    local anonymous=""
    rootpw=$(slappasswd -s "$TLDAP_ADMIN_PASSWORD")
    if [[ $shape == ad ]]; then
        group_oc=group
        modules='olcModuleLoad: memberof'
        schema="include: file://$TLDAP_SOURCE/tests/ldap/ad-schema.ldif"
        indexes=$'olcDbIndex: sAMAccountName eq\nolcDbIndex: userPrincipalName eq'
    fi
    [[ $access == open ]] && anonymous=' by anonymous read'
    cat <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcTLSCertificateFile: $TLDAP_DIR/tls/server.pem
olcTLSCertificateKeyFile: $TLDAP_DIR/tls/server.key

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
$modules

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif

include: file:///etc/ldap/schema/cosine.ldif

include: file:///etc/ldap/schema/nis.ldif

include: file:///etc/ldap/schema/inetorgperson.ldif

$schema

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: 1000

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by dn.exact=gidNumber=$(id -g)+uidNumber=$(id -u),cn=peercred,cn=external,cn=auth manage by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $suffix
olcDbDirectory: $dir/data
olcDbMaxSize: 268435456
olcRootDN: cn=admin,$suffix
olcRootPW: $rootpw
olcDbIndex: objectClass eq
olcDbIndex: cn eq
olcDbIndex: member eq
olcDbIndex: memberOf eq
$indexes
olcAccess: {0}to attrs=userPassword by anonymous auth by * none
olcAccess: {1}to * by dn.exact="$search_dn" read by self read$anonymous by * none

dn: olcOverlay={0}memberof,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: {0}memberof
olcMemberOfGroupOC: $group_oc
olcMemberOfMemberAD: member
olcMemberOfMemberOfAD: memberOf
olcMemberOfRefInt: TRUE
olcMemberOfDangling: ignore
EOF
    if [[ $shape == openldap ]]; then
        cat <<EOF

# Password policy: the bind answers with a response control saying why it failed.
# UseLockout makes that control say accountLocked for a locked account.
dn: olcOverlay={1}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {1}ppolicy
olcPPolicyDefault: cn=default,ou=policies,$suffix
olcPPolicyUseLockout: TRUE
EOF
    fi
}

# tldap_server NAME SHAPE SUFFIX SEARCH_DN [open]
tldap_server() {
    local name=$1 shape=$2 suffix=$3 search_dn=$4 access=${5:-strict} dir=$TLDAP_DIR/$1
    mkdir -p "$dir/slapd.d" "$dir/data"
    # Not named port: free_port has a local of that name, which would take the value.
    local plain_port tls_port
    free_port plain_port
    free_port tls_port
    TLDAP_PORT[$name]=$plain_port
    TLDAP_TLS_PORT[$name]=$tls_port
    TLDAP_SUFFIX[$name]=$suffix
    TLDAP_NAMES+=("$name")
    stack_socket_path "$dir/ldapi"
    tldap_config_ldif "$name" "$shape" "$suffix" "$search_dn" "$access" >"$dir/config.ldif"
    slapadd -n0 -F "$dir/slapd.d" -l "$dir/config.ldif" >>"$dir/slapd.log" 2>&1 ||
        stack_fail "slapadd of the $name configuration failed" "$dir/slapd.log"
    (umask 077 && printf '%s' "$TLDAP_ADMIN_PASSWORD" >"$dir/admin.pw")
    tldap_start "$name"
}

tldap_uri() {
    if [[ ${2:-} == ldaps ]]; then
        printf 'ldaps://127.0.0.1:%s/' "${TLDAP_TLS_PORT[$1]}"
    else
        printf 'ldap://127.0.0.1:%s/' "${TLDAP_PORT[$1]}"
    fi
}

tldap_ldapi_uri() {
    printf 'ldapi://%s' "$(stack_urlencode "$TLDAP_DIR/$1/ldapi")"
}

tldap_ping() {
    ldapsearch -x -H "$(tldap_uri "$1")" -s base -b '' -LLL -o nettimeout=1 namingContexts
}

# tldap_start NAME: in the foreground (-d) as our child, logging every operation (stats), which
# tests read to see what reached the server. It gets none of the test's other descriptors: one
# it kept open (the write end of a FIFO, say) would keep a reader waiting for ever.
tldap_start() {
    local name=$1 dir=$TLDAP_DIR/$1
    rm -f "$dir/ldapi"
    setpriv --pdeathsig TERM slapd -d stats -F "$dir/slapd.d" \
        -h "$(tldap_uri "$name") $(tldap_uri "$name" ldaps) $(tldap_ldapi_uri "$name")" \
        </dev/null >>"$dir/slapd.log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
    echo $! >"$dir/slapd.pid"
    stack_wait 30 "slapd $name" "$dir/slapd.log" "$dir/slapd.pid" tldap_ping "$name"
}

tldap_stop() {
    local name=$1 pidfile=$TLDAP_DIR/$1/slapd.pid pid i
    pid=$(cat "$pidfile" 2>/dev/null) || return 0
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do
        stack_alive "$pidfile" || break
        sleep 0.05
    done
    stack_alive "$pidfile" && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

tldap_pause() { kill -STOP "$(<"$TLDAP_DIR/$1/slapd.pid")"; }
tldap_resume() { kill -CONT "$(<"$TLDAP_DIR/$1/slapd.pid")"; }

# tldap_admin NAME TOOL ARGS...: the password goes through a file (-y), never a command line.
tldap_admin() {
    local name=$1 tool=$2
    shift 2
    "$tool" -x -H "$(tldap_ldapi_uri "$name")" -D "cn=admin,${TLDAP_SUFFIX[$name]}" \
        -y "$TLDAP_DIR/$name/admin.pw" "$@"
}

# tldap_load NAME FILE [ARGS...]: adds the entries of an LDIF file (records with a changetype
# are applied as written), failing loudly on the first error. "-" reads standard input.
tldap_load() {
    local name=$1 file=$2
    shift 2
    local from=(-f "$file")
    [[ $file == - ]] && from=()
    tldap_admin "$name" ldapadd "${from[@]}" "$@" >>"$TLDAP_DIR/$name/ldapadd.log" 2>&1 ||
        stack_fail "loading $file into $name failed" "$TLDAP_DIR/$name/ldapadd.log"
}

tldap_log_lines() {
    grep -c -e "$2" "$TLDAP_DIR/$1/slapd.log" || true
}

# tldap_finish: the EXIT trap of a directory test: stops the servers, then closes the test as
# tests/integration/lib.sh does, with the exit status the script had.
tldap_finish() {
    local rc=$?
    set +e
    ((rc == 0)) || TLDAP_KEEP=1
    tldap_cleanup
    (exit "$rc")
    test_finish
}

tldap_cleanup() {
    local name
    for name in "${TLDAP_NAMES[@]}"; do
        tldap_stop "$name"
    done
    [[ -n ${TLDAP_DIR:-} ]] || return 0
    # The servers' logs explain a failure: keep them then.
    if ((${TEST_FAILED:-0} > 0)) || [[ -n ${TLDAP_KEEP:-} ]]; then
        echo "directory servers' logs kept in $TLDAP_DIR"
    else
        rm -rf "$TLDAP_DIR"
    fi
}

# ---------------------------------------------------------------------------------------------
# jiceng check-login

tldap_ini() {
    local file=$1
    shift
    (umask 077 && printf '%s\n' "$@" >"$file")
}

login() {
    local config=$1 username=$2 password=$3
    shift 3
    LOGIN_RC=0
    LOGIN_OUT=$(printf '%s\n' "$password" |
        "$JICENG_BIN" check-login --config "$config" "$@" -- "$username" 2>"$TLDAP_DIR/login.err") ||
        LOGIN_RC=$?
    LOGIN_ERR=$(<"$TLDAP_DIR/login.err")
}

# refresh CONFIG DN: check-login --refresh, which reads no password; sets the same variables.
refresh() {
    LOGIN_RC=0
    LOGIN_OUT=$("$JICENG_BIN" check-login --config "$1" --refresh -- "$2" </dev/null \
        2>"$TLDAP_DIR/login.err") || LOGIN_RC=$?
    LOGIN_ERR=$(<"$TLDAP_DIR/login.err")
}

login_field() {
    printf '%s\n' "$LOGIN_OUT" | sed -n "s/^$1: //p" | head -n 1
}

expect_login() {
    local what=$1 want=$2 pair got
    shift 2
    got=$(login_field result)
    if [[ $got != "$want" ]]; then
        fail "$what: result '$got', want '$want' (exit $LOGIN_RC)"
        printf '     out: %s\n     err: %.800s\n' "${LOGIN_OUT//$'\n'/ | }" "$LOGIN_ERR"
        return 0
    fi
    for pair in "$@"; do
        got=$(login_field "${pair%%=*}")
        if [[ $got != "${pair#*=}" ]]; then
            fail "$what: ${pair%%=*} is '$got', want '${pair#*=}'"
            return 0
        fi
    done
    pass "$what"
}

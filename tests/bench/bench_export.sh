#!/usr/bin/env bash
# Export of a roster (issue 5): GET /api/v1/roster/export?under=CODE&format=csv|xlsx through
# nginx, one request at a time, as liaoning-admin (who sees ID and mobile numbers unmasked) and
# as heping-viewer (masked), of 和平区 (210102), of the county under 21 with the most office
# holders, and of the city 沈阳市 (2101), for a figure that fixed costs per request do not blur.
# Each figure is of BENCH_EXPORT_RUNS (default 5) downloads, more when a file is small: rows/s by
# the median wall clock of the download, the CPU milliseconds per 1,000 rows jiceng and mariadbd
# spent in all, and rows/s of that CPU time (the figure that holds on a busy machine). The worker's resident memory is the jiceng
# process's peak (VmHWM, reset before each export through /proc/PID/clear_refs) and its
# resident size after the export.
# Target: a county's roster at least 50,000 rows/s with the worker's resident memory under 64 MB.
# Every XLSX is checked first: its sheet's rows against the rows of the CSV.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

runs=${BENCH_EXPORT_RUNS:-5}
admin_cookie=$(bench_login liaoning-admin)
viewer_cookie=$(bench_login heping-viewer)
jiceng_pid=$(<"$STACK_JICENG_PIDFILE")
hz=$(getconf CLK_TCK)
out=$(mktemp /tmp/jiceng-bench-export.XXXXXX)
trap 'rm -f "$out"' EXIT

big=$(mariadb --defaults-file="$STACK_DB_ADMIN_CNF" --batch --skip-column-names -e "
    SELECT LEFT(region, 6) FROM position WHERE current AND region LIKE '21%'
    GROUP BY LEFT(region, 6) ORDER BY COUNT(*) DESC LIMIT 1")
[[ -n $big ]] || stack_fail "no positions under 21: was the data generated?"

# data_rows FORMAT FILE: the data rows in an exported file (without the header row).
data_rows() {
    if [[ $1 == csv ]]; then
        echo $(($(wc -l <"$2") - 1))
    else
        unzip -p "$2" xl/worksheets/sheet1.xml | grep -o '<row ' | awk 'END { print NR - 1 }'
    fi
}

# export_once CODE FORMAT COOKIE: one download into $out; prints "seconds jiceng_ticks
# mariadb_ticks peak_kb rss_kb".
export_once() {
    local before after status seconds
    echo 5 >"/proc/$jiceng_pid/clear_refs" 2>/dev/null || true
    read -ra before <<<"$(bench_cpu_ticks)"
    read -r status seconds < <(curl -sS -o "$out" -w '%{http_code} %{time_total}\n' \
        --max-time 600 -H "Cookie: $3" "$BASE_URL/api/v1/roster/export?under=$1&format=$2")
    read -ra after <<<"$(bench_cpu_ticks)"
    [[ $status == 200 ]] || stack_fail "export of $1 as $2 answered $status"
    echo "$seconds $((after[0] - before[0])) $((after[1] - before[1]))" \
        "$(awk '/^VmHWM:/ { print $2 }' "/proc/$jiceng_pid/status")" \
        "$(awk '/^VmRSS:/ { print $2 }' "/proc/$jiceng_pid/status")"
}

printf '%-26s %6s %5s %8s %8s %8s %8s %8s %8s\n' export rows runs 'rows/s' 'jiceng' 'mariadb' \
    'rows/s' 'peak MB' 'RSS MB'
printf '%-26s %6s %5s %8s %17s %8s\n' '' '' '' '(median)' 'CPU ms/1000 rows' '(CPU)'
declare -A RATE=() CPU_RATE=() PEAK=()
for case in "210102|csv|$viewer_cookie|viewer" "210102|xlsx|$viewer_cookie|viewer" \
    "$big|csv|$admin_cookie|admin" "$big|xlsx|$admin_cookie|admin" \
    "2101|csv|$admin_cookie|admin" "2101|xlsx|$admin_cookie|admin"; do
    IFS='|' read -r code format cookie who <<<"$case"
    export_once "$code" csv "$cookie" >/dev/null # warm; the CSV's rows are the total
    total=$(data_rows csv "$out")
    export_once "$code" "$format" "$cookie" >/dev/null
    got=$(data_rows "$format" "$out")
    [[ $got == "$total" ]] || stack_fail "$format export of $code holds $got rows, the CSV $total"
    # CPU time is counted in ticks (10 ms): enough runs for 30,000 rows in all keep it exact.
    n=$((total * runs >= 30000 ? runs : (30000 + total - 1) / total))
    secs=() jt=0 mt=0 peak=() rss=()
    for ((i = 0; i < n; i++)); do
        read -r s j m p r < <(export_once "$code" "$format" "$cookie")
        secs+=("$s") peak+=("$p") rss+=("$r")
        jt=$((jt + j)) mt=$((mt + m))
    done
    s=$(bench_median "${secs[@]}")
    rate=$(awk -v n="$total" -v s="$s" 'BEGIN { printf "%d\n", n / s }')
    cpu() { awk -v t="$1" -v n="$((total * ${#secs[@]}))" -v hz="$hz" \
        'BEGIN { printf "%.1f\n", 1000 * t / hz / n * 1000 }'; }
    mb() { printf '%s\n' "$@" | sort -n | tail -n 1 | awk '{ printf "%.1f\n", $1 / 1024 }'; }
    name="$code $format ($who)"
    # Rows/s of CPU: what one core would export doing jiceng's and mariadbd's work in turn; on a
    # busy machine the wall clock says more about the others than about the export.
    CPU_RATE[$name]=$(awk -v t="$((jt + mt))" -v n="$((total * ${#secs[@]}))" -v hz="$hz" \
        'BEGIN { printf "%d\n", t ? n / (t / hz) : 0 }')
    RATE[$name]=$rate PEAK[$name]=$(mb "${peak[@]}")
    printf '%-26s %6s %5s %8s %8s %8s %8s %8s %8s\n' "$name" "$total" "$n" "$rate" "$(cpu "$jt")" \
        "$(cpu "$mt")" "${CPU_RATE[$name]}" "${PEAK[$name]}" "$(mb "${rss[@]}")"
done

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
for name in "${!RATE[@]}"; do
    [[ $name == 2101\ * ]] && continue # a city: no target
    bench_verdict "$name >= 50000 rows/s (${RATE[$name]}) with peak RSS < 64 MB (${PEAK[$name]})" \
        "${RATE[$name]} >= 50000 && ${PEAK[$name]} < 64"
    bench_verdict "$name >= 50000 rows/s of CPU, jiceng's and mariadbd's (${CPU_RATE[$name]})" \
        "${CPU_RATE[$name]} >= 50000"
done | sort

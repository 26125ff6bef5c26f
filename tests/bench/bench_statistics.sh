#!/usr/bin/env bash
# Statistics (issue 5) on the generated data, beside nginx's own `return 200` measured in the
# same run, at 4 connections (latency) and 16 (throughput):
#   county     /api/v1/statistics/210102 as heping-viewer: recounted from the tables
#   city       /api/v1/statistics/2101 as shenyang-approver: summed from the counts kept per county
#   province   /api/v1/statistics/21 as liaoning-admin: the same, over the province's counties
# The whole country has no user in the demo directory (nobody's region is above a province):
# its figure is the time of the statement a national user's request would run (the kept counts
# of every county, grouped by province), run in MariaDB directly, median of BENCH_ROUNDS runs.
# Targets (on the national data of `tests/bench/run --country`, 2 cores): county p99 under
# 50 ms, city under 300 ms, province under 1 s, country under 5 s.
# Each answer is fetched once first and checked to hold the figures of its region.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

county_cookie=$(bench_login heping-viewer)
city_cookie=$(bench_login shenyang-approver)
province_cookie=$(bench_login liaoning-admin)

TARGETS=(
    "return200|/__bench/return200|"
    "county|/api/v1/statistics/210102|$county_cookie"
    "city|/api/v1/statistics/2101|$city_cookie"
    "province|/api/v1/statistics/21|$province_cookie"
)

# check CODE COOKIE: the statistics of CODE answer 200 with a total that counts some cadres.
check() {
    local body status
    body=$(mktemp)
    status=$(curl -sS -o "$body" -w '%{http_code}' --max-time 60 -H "Cookie: $2" \
        "$BASE_URL/api/v1/statistics/$1")
    [[ $status == 200 ]] || stack_fail "/api/v1/statistics/$1 answered $status"
    echo "$1: $(jq -r '"\(.source), \(.children | length) rows, \(.total.figures.cadres.total) office holders"' "$body")"
    rm -f "$body"
}
check 210102 "$county_cookie"
check 2101 "$city_cookie"
check 21 "$province_cookie"

bench_warm 4 "${TARGETS[@]}"
bench_header
for connections in 4 16; do
    bench_compare "$connections" "${TARGETS[@]}"
done

# The country: the kept counts of every county by province, as the application would read them
# with a national jurisdiction ('' is what the application never sets; here it opens the views).
country=()
for ((round = 1; round <= BENCH_ROUNDS; round++)); do
    start=$(date +%s%N)
    mariadb --defaults-file="$STACK_DB_ADMIN_CNF" --batch --skip-column-names -e "
        SET @jurisdiction = '';
        SELECT LEFT(county, 2), metric, SUM(n) FROM my_stat_county GROUP BY 1, 2;
        SELECT LEFT(code, 2), CONCAT('regions.', level), COUNT(*) FROM my_region GROUP BY 1, 2" >/dev/null
    country+=($((($(date +%s%N) - start) / 1000000)))
done
FIG[country]=$(bench_median "${country[@]}")
echo "country: the kept counts of every county by province in ${FIG[country]} ms (median)"

echo
bench_verdict "county p99 < 50 ms at 4 connections (${FIG[county,4,p99]} ms)" "${FIG[county,4,p99]} < 50"
bench_verdict "city p99 < 300 ms at 4 connections (${FIG[city,4,p99]} ms)" "${FIG[city,4,p99]} < 300"
bench_verdict "province p99 < 1000 ms at 4 connections (${FIG[province,4,p99]} ms)" \
    "${FIG[province,4,p99]} < 1000"
bench_verdict "country < 5000 ms (${FIG[country]} ms)" "${FIG[country]} < 5000"

#!/usr/bin/env bash
# New organisations on the generated data (issue 7), beside nginx's own `return 200`
# (/__bench/return200) in the same run, at 4 connections (latency):
#   worklist   /api/v1/new-organisations/worklist?region=T&limit=50 as heping-viewer, T the
#              township under 和平区 (210102) with the most uncovered organisations
#   county     /api/v1/new-organisations/statistics?region=210102 as heping-viewer
#   province   /api/v1/new-organisations/statistics?region=21 as liaoning-admin
# Targets (on the national data of `tests/bench/run --country`, about two million new
# organisations): the work list p99 under 10 ms; a province's statistics under 1 s; the
# country's under 5 s. The whole country has no user in the demo directory (nobody's region is
# above a province): its figure is the time of the statements a national user's request would
# run (the application's own, grouped by province), run in MariaDB directly, median of
# BENCH_ROUNDS runs. Every page is fetched once and checked first.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

county_cookie=$(bench_login heping-viewer)
province_cookie=$(bench_login liaoning-admin)
township=$(mariadb --defaults-file="$STACK_DB_ADMIN_CNF" --batch --skip-column-names -e "
    SELECT region FROM new_org WHERE coverage = 'none' AND region LIKE '210102___'
    GROUP BY region ORDER BY COUNT(*) DESC, region LIMIT 1")
[[ -n $township ]] || stack_fail "no new organisations under 210102: was the data generated?"

WORKLIST="/api/v1/new-organisations/worklist?region=$township&limit=50"
TARGETS=(
    "return200|/__bench/return200|"
    "worklist|$WORKLIST|$county_cookie"
    "county|/api/v1/new-organisations/statistics?region=210102|$county_cookie"
    "province|/api/v1/new-organisations/statistics?region=21|$province_cookie"
)

fetch() {
    local body status
    body=$(mktemp)
    status=$(curl -sS -o "$body" -w '%{http_code}' --max-time 60 -H "Cookie: $2" "$BASE_URL$1")
    cat "$body"
    rm -f "$body"
    [[ $status == 200 ]] || stack_fail "$1 answered $status"
}

listed=$(fetch "$WORKLIST" "$county_cookie" | jq --arg t "$township" '[.items[] |
    select(.region == $t and .coverage.state == "none")] | length')
echo "worklist: township $township, $listed uncovered organisations on the first page"
fetch "/api/v1/new-organisations/statistics?region=21" "$province_cookie" |
    jq -r '"province: \(.total.new_organisations) new organisations in \(.children | length) cities"'

bench_warm 4 "${TARGETS[@]}"
bench_header
bench_compare 4 "${TARGETS[@]}"

# The country: fcgi/new_org_stats.c's grouped statements with the jurisdiction opened to
# everything ('' is what the application never sets) and the children two digits long.
country=()
year_start="$(date +%Y)-01-01"
for ((round = 1; round <= BENCH_ROUNDS; round++)); do
    start=$(date +%s%N)
    mariadb --defaults-file="$STACK_DB_ADMIN_CNF" --batch --skip-column-names -e "
        SET @jurisdiction = '';
        SELECT LEFT(region, 2) AS child, COUNT(*), SUM(coverage = 'committee'),
            SUM(coverage = 'liaison_officer') FROM my_new_org WHERE region LIKE '%'
            GROUP BY child;
        SELECT LEFT(l.region, 2) AS child, COUNT(*), COUNT(DISTINCT l.person_id),
            SUM((SELECT COUNT(*) FROM my_new_org_visit v WHERE v.link_id = l.id
                 AND v.visited_on >= '$year_start') >= 2)
            FROM my_new_org_link l WHERE l.end_date IS NULL AND l.region LIKE '%'
            GROUP BY child WITH ROLLUP" >/dev/null
    country+=($((($(date +%s%N) - start) / 1000000)))
done
FIG[country]=$(bench_median "${country[@]}")
echo "country: coverage of every province in ${FIG[country]} ms (median)"

echo
bench_verdict "worklist p99 < 10 ms at 4 connections (${FIG[worklist,4,p99]} ms)" "${FIG[worklist,4,p99]} < 10"
bench_verdict "province statistics p99 < 1000 ms at 4 connections (${FIG[province,4,p99]} ms)" \
    "${FIG[province,4,p99]} < 1000"
bench_verdict "country statistics < 5000 ms (${FIG[country]} ms)" "${FIG[country]} < 5000"

#!/usr/bin/env bash
# Roster and organisation pages on the generated data (issue 4), each beside nginx's own
# `return 200` (/__bench/return200) measured in the same run: at 32 connections for throughput
# and at 4 for latency.
#   county     a 50-row roster page of 和平区 (210102) with two filters, as heping-viewer:
#              /api/v1/roster?role=executive_member&in_two_committees=false&limit=50
#   province   the same page of 辽宁省 (21), as liaoning-admin
#   org        /api/v1/organisations/{id} as heping-viewer: the organisation under 和平区 with
#              the most office holders among those with past ones, so its history is shown,
#              and with at most 40 positions, the most the generator gives one: the import
#              benchmarks commit their 20,000 cadres into 和平区 and keep them, and an
#              organisation of theirs with hundreds of holders would be another page to measure
# Targets (on the national data of `tests/bench/run --country`): county at least 3,000 pages/s
# at 32 connections and p99 under 10 ms at 4; province p99 under 30 ms; org p99 under 5 ms.
# Before measuring, every page is fetched once and checked, so that the figures are of pages
# that hold what they should. Rounds are interleaved; the median of the rounds is printed.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

ROSTER='/api/v1/roster?role=executive_member&in_two_committees=false&limit=50'
county_cookie=$(bench_login heping-viewer)
province_cookie=$(bench_login liaoning-admin)

org_id=$(mariadb --defaults-file="$STACK_DB_ADMIN_CNF" --batch --skip-column-names -e "
    SELECT organisation_id FROM position WHERE region LIKE '210102%'
    GROUP BY organisation_id HAVING SUM(NOT current) > 0 AND COUNT(*) <= 40
    ORDER BY COUNT(*) DESC, organisation_id
    LIMIT 1")
[[ -n $org_id ]] || stack_fail "no organisation with past office holders under 210102: was the data generated?"

# name, path, cookie
TARGETS=(
    "return200|/__bench/return200|"
    "county|$ROSTER|$county_cookie"
    "province|$ROSTER|$province_cookie"
    "org|/api/v1/organisations/$org_id|$county_cookie"
)

# fetch PATH COOKIE: the page's body; fails unless it answers 200.
fetch() {
    local body status
    body=$(mktemp)
    status=$(curl -sS -o "$body" -w '%{http_code}' --max-time 30 -H "Cookie: $2" "$BASE_URL$1")
    cat "$body"
    rm -f "$body"
    [[ $status == 200 ]] || stack_fail "$1 answered $status"
}

# A roster page holds 50 executive members off the two committees, all inside the subtree.
check_roster() {
    local subtree=$1 cookie=$2 wrong
    wrong=$(fetch "$ROSTER" "$cookie" | jq --arg u "$subtree" '(.items | length != 50) or
        any(.items[]; .role != "executive_member" or .in_two_committees
            or (.region | startswith($u) | not))')
    [[ $wrong == false ]] || stack_fail "the roster page of $subtree is not 50 matching rows"
}
check_roster 210102 "$county_cookie"
check_roster 21 "$province_cookie"
holders=$(fetch "/api/v1/organisations/$org_id" "$county_cookie" | jq -r '.office_holders |
    "\(.current | length) current and \(.past | length) past office holders"')
echo "org: organisation $org_id with $holders"

bench_warm 32 "${TARGETS[@]}"
bench_header
for connections in 32 4; do
    bench_compare "$connections" "${TARGETS[@]}"
done

echo
bench_verdict "county >= 3000 pages/s at 32 connections (${FIG[county,32,rps]})" \
    "${FIG[county,32,rps]} >= 3000"
bench_verdict "county p99 < 10 ms at 4 connections (${FIG[county,4,p99]} ms)" "${FIG[county,4,p99]} < 10"
bench_verdict "province p99 < 30 ms at 4 connections (${FIG[province,4,p99]} ms)" \
    "${FIG[province,4,p99]} < 30"
bench_verdict "org p99 < 5 ms at 4 connections (${FIG[org,4,p99]} ms)" "${FIG[org,4,p99]} < 5"

#!/usr/bin/env bash
# The oversight of re-elections (GET /api/v1/oversight/reelections): every count agrees with
# the database, per child region and in total; an overdue organisation is listed; a step that
# waits long is counted (a re-election's, not a new organisation's coverage request); the
# jurisdiction between 和平区 (210102) and 沈河区 (210103).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"
source "$(dirname "$0")/new_org_helpers.bash"

for user in heping-viewer hunhewan-clerk shenhe-viewer liaoning-admin hunhewan-approver; do
    login "$user"
    expect_status 201 "$user logs in"
done
today=$(date -u +%F)

expect_eq "$(waiting_kept_differs)" 0 "the waiting steps kept per county and day equal a recount"

# A committee whose term ended last year: overdue. Its plan waits at the township for 20 days.
overdue_org=$(make_org 210102001 4 "浑河湾街道督办测试妇委会" "$(date -u -d '-6 years' +%F)")
mapfile -t two < <(sql "SELECT id FROM person WHERE region LIKE '210102001%' ORDER BY id LIMIT 2")
as hunhewan-clerk POST /api/v1/reelections "${JSON[@]}" --data "$(jq -cn --argjson org "$overdue_org" \
    --arg date "$(date -u -d '+20 days' +%F)" --argjson a "${two[0]}" --argjson b "${two[1]}" \
    '{organisation_id: $org, planned_date: $date, term_years: 3, seats: {chair: 1},
      candidates: [{person_id: $a, seat: "chair"}, {person_id: $b, seat: "chair"}]}')"
expect_status 201 "an overdue committee gets a plan"
request=$(jq -r .plan_request.id <<<"$HTTP_BODY")
as hunhewan-clerk POST "/api/v1/requests/$request/submit" "${JSON[@]}" --data '{"version":1}'
expect_status 200
sql "UPDATE workflow_request SET pending_since = NOW(3) - INTERVAL 20 DAY WHERE id = $request"
# A new organisation's committee waits as long at the county: a request of the engine too, but
# no part of re-election oversight, so not counted, nor kept.
create_new_org hunhewan-clerk "$(new_org_body 督查测试企业 210102001 40)"
propose hunhewan-clerk "$NEW_ORG" '{"version":1,"kind":"committee","start_date":"2025-01-01"}'
coverage=$REQUEST
sql "UPDATE workflow_request SET pending_since = NOW(3) - INTERVAL 20 DAY WHERE id = $coverage"
expect_eq "$(waiting_kept_differs)" 0 "the kept waiting steps equal a recount with a coverage request waiting"
expect_eq "$(sql "SELECT COUNT(*) FROM workflow_request WHERE id = $coverage AND state = 'in_progress'
                  AND pending_since < NOW(3) - INTERVAL 10 DAY")" 1 "the coverage request waits 20 days"

# expected SUBTREE CHILD_LENGTH: the counts per child region, computed here from the tables.
expected() {
    sql "SELECT child, SUM(o), SUM(d6), SUM(d3), SUM(od), SUM(w), SUM(dn), SUM(ot) FROM (
           SELECT LEFT(region, $2) child, 1 o, COALESCE(next_due BETWEEN '$today' AND '$today' + INTERVAL 6 MONTH, 0) d6,
                  COALESCE(next_due BETWEEN '$today' AND '$today' + INTERVAL 3 MONTH, 0) d3,
                  COALESCE(next_due < '$today', 0) od, 0 w, 0 dn, 0 ot FROM organisation WHERE region LIKE '$1%'
           UNION ALL SELECT LEFT(region, $2), 0, 0, 0, 0, 1, 0, 0 FROM workflow_request
             WHERE region LIKE '$1%' AND state = 'in_progress' AND pending_since < NOW(3) - INTERVAL ${3:-14} DAY
             AND kind IN ('reelection_plan', 'reelection_result')
           UNION ALL SELECT LEFT(region, $2), 0, 0, 0, 0, 0, 1, COALESCE(election_date <= due_on, 0)
             FROM reelection WHERE region LIKE '$1%' AND stage = 'done') t GROUP BY child ORDER BY child"
}
got() {
    jq -r '.by_region[] | [.region, .organisations, .due_within_6_months, .due_within_3_months, .overdue,
        .steps_waiting_long, .reelections_done, .on_time] | join(" ")' <<<"$HTTP_BODY"
}

as heping-viewer GET /api/v1/oversight/reelections
expect_status 200 "a county's viewer reads the oversight of her county"
expect_eq "$(got)" "$(expected 210102 9)" "each township's counts agree with the database"
expect_json '[.totals.region, .totals.name]' '["210102","和平区"]'
expect_eq "$(jq -r '.totals.organisations' <<<"$HTTP_BODY")" \
    "$(sql "SELECT COUNT(*) FROM organisation WHERE region LIKE '210102%'")" "the totals add up"
expect_json "[.overdue[] | select(.id == $overdue_org) | .region]" '["210102001"]' "the overdue committee is listed"
expect_json '[.overdue[].next_due] | . == sort' true "the longest overdue first"

as heping-viewer GET '/api/v1/oversight/reelections?under=210102001&waiting_days=30'
expect_status 200 "a township of the county, by village, with a longer wait"
expect_eq "$(got)" "$(expected 210102001 12 30)" "each village's counts agree, the 20-day wait not counted"
as heping-viewer GET '/api/v1/oversight/reelections?under=210102001&waiting_days=10'
expect_json '[.by_region[] | select(.region == "210102001") | .steps_waiting_long >= 1]' '[true]' \
    "a step waiting 20 days counts with waiting_days=10"
# waiting_of REGION: the steps waiting long of REGION's row in the oversight answered.
waiting_of() {
    jq -r --arg r "$1" '.by_region[] | select(.region == $r) | .steps_waiting_long' <<<"$HTTP_BODY"
}
reelections_waiting=$(sql "SELECT COUNT(*) FROM workflow_request WHERE region LIKE '210102001%'
    AND state = 'in_progress' AND pending_since < NOW(3) - INTERVAL 10 DAY AND kind LIKE 'reelection%'")
as heping-viewer GET '/api/v1/oversight/reelections?waiting_days=10'
expect_eq "$(waiting_of 210102001)" "$reelections_waiting" \
    "the township's waiting re-election plan is counted, its waiting coverage request not (counted)"
as liaoning-admin GET '/api/v1/oversight/reelections?under=2101&waiting_days=10'
expect_eq "$(waiting_of 210102)" "$(sql "SELECT COUNT(*) FROM workflow_request WHERE region LIKE '210102%'
    AND state = 'in_progress' AND pending_since < NOW(3) - INTERVAL 10 DAY AND kind LIKE 'reelection%'")" \
    "nor in the counts kept per county (a city's oversight)"

# A province's and a city's counts come from the counts kept per county; the cut-off day of a
# wait is counted from the requests (20 days: the step above waits since just before it).
for days in 10 20 30; do
    as liaoning-admin GET "/api/v1/oversight/reelections?waiting_days=$days"
    expect_status 200 "the province's oversight, waiting_days=$days"
    expect_eq "$(got)" "$(expected 21 4 "$days")" "each city's counts agree with the database ($days days)"
done
as liaoning-admin GET '/api/v1/oversight/reelections?under=2101&waiting_days=20'
expect_eq "$(got)" "$(expected 2101 6 20)" "a city's counts by county agree with the database"
expect_eq "$(waiting_kept_differs)" 0 "the kept waiting steps still equal a recount after the submission"

# The approval of the plan's one step ends its wait: the kept counts follow in the same
# transaction.
as hunhewan-approver GET "/api/v1/requests/$request"
version=$(jq -r .version <<<"$HTTP_BODY")
as hunhewan-approver POST "/api/v1/requests/$request/decisions" "${JSON[@]}" \
    --data "{\"version\":$version,\"step\":1,\"action\":\"approve\"}"
expect_status 200 "the township approves the plan"
expect_eq "$(waiting_kept_differs)" 0 "the kept waiting steps equal a recount after an approval"
as liaoning-admin GET '/api/v1/oversight/reelections?waiting_days=10'
expect_eq "$(got)" "$(expected 21 4 10)" "the province's counts agree after the approval"

as heping-viewer GET '/api/v1/oversight/reelections?under=210103'
expect_error 404 not_found
as heping-viewer GET '/api/v1/oversight/reelections?under=abc'
expect_error 400 invalid_parameter
as shenhe-viewer GET /api/v1/oversight/reelections
expect_status 200 "the sibling county's viewer reads hers"
expect_json "[.by_region[].region | select(startswith(\"210103\") | not)]" '[]' "only her county"
expect_json "[.overdue[] | select(.id == $overdue_org)]" '[]' "without the other county's committee"

# --- The same counts as a file -------------------------------------------------------------------
# oversight_file USER QUERY: GET .../export?QUERY into $TEST_TMP/oversight (status as http sets).
oversight_file() {
    HTTP_REQUEST="GET /api/v1/oversight/reelections/export?$2"
    HTTP_STATUS=$(curl -sS -o "$TEST_TMP/oversight" -D "$TEST_TMP/headers" -w '%{http_code}' \
        --max-time 60 -b "$(jar "$1")" "$BASE_URL/api/v1/oversight/reelections/export?$2") || HTTP_STATUS=000
    HTTP_HEADERS=$(tr -d '\r' <"$TEST_TMP/headers")
    HTTP_BODY=$(head -c 600 "$TEST_TMP/oversight" | tr -d '\0')
}
as heping-viewer GET /api/v1/oversight/reelections
json=$HTTP_BODY
oversight_file heping-viewer 'format=csv'
expect_status 200 "the oversight of 和平区 as CSV"
expect_header Content-Disposition '^attachment; filename="reelections-210102-[0-9-]+\.csv"'
csv=$(node "$(dirname "$0")/read_csv.mjs" "$TEST_TMP/oversight")
expect_eq "$(jq -c '.rows[0][0:3]' <<<"$csv")" '["区划代码","区划","组织数"]' "Chinese headers"
expect_eq "$(jq -c '[.rows[1:][] | [.[0], (.[2] | tonumber), (.[5] | tonumber)]]' <<<"$csv")" \
    "$(jq -c '[(.by_region[], .totals) | [.region, .organisations, .overdue]]' <<<"$json")" \
    "a row per child region and the total, with the counts of the JSON"
expect_eq "$(jq -r '.rows[-1][1]' <<<"$csv")" 合计 "the last row is the total"
oversight_file heping-viewer 'format=xlsx&under=210102001'
expect_status 200 "a township's oversight as XLSX"
expect_header Content-Type '^application/vnd.openxmlformats-officedocument.spreadsheetml.sheet$'
check "the workbook's sheet names the villages" \
    bash -c "unzip -p '$TEST_TMP/oversight' xl/worksheets/sheet1.xml xl/sharedStrings.xml | grep -q '水源地社区'"
oversight_file heping-viewer 'format=csv&under=210103'
expect_error 404 not_found
oversight_file heping-viewer 'format=pdf'
expect_error 400 invalid_parameter

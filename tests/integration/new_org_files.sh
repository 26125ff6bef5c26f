#!/usr/bin/env bash
# The new organisations as files: the registry exported (GET /api/v1/new-organisations/export)
# as CSV and XLSX with the list's filters, contact phones masked by role, formula-looking names
# that do not come back as formulas, the sibling county kept out; and the coverage statistics as
# an XLSX report (GET /api/v1/new-organisations/statistics/report).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/new_org_helpers.bash"

for user in heping-clerk heping-viewer shenhe-viewer; do
    login "$user"
    expect_status 201 "$user logs in"
done
township=$(sql "SELECT MIN(code) FROM region WHERE parent_code = '210102' AND level = 4")
run=E$(date +%s | tail -c 7)

# export_as USER PATH: the file into $TEST_TMP/export (status etc. as http sets them).
export_as() {
    local user=$1 path=$2
    HTTP_REQUEST="GET $path"
    HTTP_STATUS=$(curl -sS -o "$TEST_TMP/export" -D "$TEST_TMP/headers" -w '%{http_code}' \
        --max-time 60 -b "$(jar "$user")" "$BASE_URL$path") || HTTP_STATUS=000
    HTTP_HEADERS=$(tr -d '\r' <"$TEST_TMP/headers")
    HTTP_BODY=$(head -c 600 "$TEST_TMP/export" | tr -d '\0')
}
csv_rows() { node "$(dirname "$0")/read_csv.mjs" "$TEST_TMP/export"; }
sheet_xml() { unzip -p "$TEST_TMP/export" xl/worksheets/sheet1.xml; }
count_under() { sql "SELECT COUNT(*) FROM new_org WHERE region LIKE '$1%' ${2-}"; }

# Organisations whose names a spreadsheet would take for formulas, with contact phones.
names=("=cmd|' /C calc'!A0" "+1+1" "-2+3" "@SUM(A1:A2)")
for i in "${!names[@]}"; do
    create_new_org heping-clerk "$(new_org_body "${names[$i]}" "$township" 10 \
        ".kind = \"social\" | .contact_phone = \"1390000${i}${i}${i}${i}\"")"
done
formula_id=$(sql "SELECT id FROM new_org WHERE name = '=cmd|'' /C calc''!A0' ORDER BY id DESC LIMIT 1")
formula_code=$(sql "SELECT credit_code FROM new_org WHERE id = $formula_id")
create_new_org heping-clerk "$(new_org_body "${run}华美服装有限公司" "$township" 45 '.stable_operation = false')"

# --- CSV ------------------------------------------------------------------------------------------

export_as heping-viewer /api/v1/new-organisations/export
expect_status 200 "a viewer exports her county's new organisations"
expect_header Content-Type '^text/csv; charset=utf-8$'
expect_header Content-Disposition "^attachment; filename=\"new-organisations-210102-[0-9-]+\\.csv\"; filename\\*=UTF-8''%E4%B8%A4%E6%96%B0%E7%BB%84%E7%BB%87-210102-"
csv=$(csv_rows)
expect_eq "$(jq .bom <<<"$csv")" true "the CSV starts with a UTF-8 BOM"
expect_eq "$(jq -c '.rows[0][0:3]' <<<"$csv")" '["区划代码","组织名称","统一社会信用代码"]' \
    "the headers are in Chinese, the import template's first"
expect_eq "$(jq '.rows | length - 1' <<<"$csv")" "$(count_under 210102)" \
    "one row per new organisation of the county, over many chunks"
expect_eq "$(jq '[.rows[] | length] | unique' <<<"$csv" | jq -c .)" '[19]' "every row has every column"
expect_eq "$(jq '[.rows[1:][] | .[0] | startswith("210102") | not] | any' <<<"$csv")" false \
    "every row lies in the county"
expect_eq "$(jq -r '[.rows[1:][] | .[12] | select(. != "")] | map(test("^[0-9]{3}\\*{4}[0-9]{4}$")) | all' <<<"$csv")" true \
    "a viewer's contact phones are masked"
expect_eq "$(jq -r --arg c "$formula_code" '.rows[] | select(.[2] == $c) | .[12]' <<<"$csv")" "139****0000" \
    "... as 139****0000"
for name in "${names[@]}"; do
    expect_eq "$(jq --arg n "'$name" '[.rows[] | select(.[1] == $n)] | length' <<<"$csv")" \
        "$(sql "SELECT COUNT(*) FROM new_org WHERE name = '${name//\'/\'\'}'")" \
        "the name $name comes back with an apostrophe in front, as text"
done
expect_eq "$(jq '[.rows[1:][] | .[] | select(test("^[=+@\t\r-]"))] | length' <<<"$csv")" 0 \
    "no cell starts like a formula"
expect_eq "$(jq -c --arg n "${run}华美服装有限公司" '.rows[] | select(.[1] == $n) | [.[3], .[5], .[6], .[7], .[8], .[13], .[14], .[15], .[16]]' <<<"$csv")" \
    "[\"新经济组织\",\"100\",\"45\",\"优秀\",\"否\",\"$(sql "SELECT name FROM region WHERE code = '$township'")\",\"应建妇委会，条件尚未具备\",\"经营稳定\",\"未覆盖\"]" \
    "a row's values, recommendation and unmet conditions in Chinese"

export_as heping-clerk /api/v1/new-organisations/export
expect_eq "$(csv_rows | jq -r --arg c "$formula_code" '.rows[] | select(.[2] == $c) | .[12]')" "13900000000" \
    "a clerk sees contact phones in full"

export_as heping-viewer "/api/v1/new-organisations/export?under=$township&kind=social&coverage=none"
expect_status 200 "the list's filters"
csv=$(csv_rows)
expect_eq "$(jq '.rows | length - 1' <<<"$csv")" "$(count_under "$township" "AND kind = 'social' AND coverage = 'none'")" \
    "the filters hold in the export"
expect_eq "$(jq -c '[.rows[1:][] | .[3]] | unique' <<<"$csv")" '["新社会组织"]' "only social organisations"

# --- XLSX -----------------------------------------------------------------------------------------

export_as heping-viewer "/api/v1/new-organisations/export?under=$township&format=xlsx"
expect_status 200 "the export as XLSX"
expect_header Content-Type '^application/vnd.openxmlformats-officedocument.spreadsheetml.sheet$'
sheet_xml >"$TEST_TMP/sheet.xml"
sheet=$TEST_TMP/sheet.xml
expect_eq "$(grep -o '<row ' "$sheet" | wc -l)" "$(($(count_under "$township") + 1))" \
    "the sheet has a row per organisation and the header row"
check "the sheet's headers are in Chinese" grep -q '<t>统一社会信用代码</t>' "$sheet"
check "no cell of the sheet is a formula" bash -c '! grep -q "<f>" "$1"' _ "$sheet"
check "a formula-looking name is a string cell" \
    grep -qF "t=\"inlineStr\"><is><t>=cmd|' /C calc'!A0</t>" "$sheet"
check "a viewer's phones are masked in the sheet too" grep -q '<t>139\*\*\*\*0000</t>' "$sheet"
check "... and never whole" bash -c '! grep -qE "<t>1[0-9]{10}</t>" "$1"' _ "$sheet"

# --- Bad parameters and the jurisdiction ----------------------------------------------------------

for query in format=pdf kind=shop under=2101x; do
    as heping-viewer GET "/api/v1/new-organisations/export?$query"
    expect_error 400 invalid_parameter
done
for under in 210103 210103001; do
    as heping-viewer GET "/api/v1/new-organisations/export?under=$under"
    expect_error 404 not_found
done
as shenhe-viewer GET "/api/v1/new-organisations/export?under=210102"
expect_error 404 not_found
export_as shenhe-viewer /api/v1/new-organisations/export
expect_eq "$(csv_rows | jq '[.rows[1:][] | .[0] | startswith("210103") | not] | any')" false \
    "沈河区's export holds only 沈河区"
http GET /api/v1/new-organisations/export
expect_status 401 "an export needs a session"

# --- The coverage report --------------------------------------------------------------------------

as heping-viewer GET /api/v1/new-organisations/statistics?region=210102
figures=$HTTP_BODY
rows=$(jq '.children | length' <<<"$figures")
export_as heping-viewer /api/v1/new-organisations/statistics/report?region=210102
expect_status 200 "the county's coverage report"
expect_header Content-Type '^application/vnd.openxmlformats-officedocument.spreadsheetml.sheet$'
expect_header Content-Disposition '^attachment; filename="new-organisations-coverage-210102-[0-9-]+\.xlsx"'
strings=$(unzip -p "$TEST_TMP/export" xl/sharedStrings.xml)
for text in 两新组织妇女工作覆盖情况统计表 表号：妇基统2表 "填报单位：和平区（210102）" "统计日期：$(date -u +%F)" \
    两新组织（个） 已建妇委会 已有联络员 未覆盖 建会率 覆盖率 执委人均联系 走访达标率 和平区本级 合计; do
    check "the report says $text" grep -qF "$text" <<<"$strings"
done
sheet_xml >"$TEST_TMP/report.xml"
# The total row comes after the title, the note row, a blank row, the two header rows, the
# children and the county's own row; column C is the number of new organisations.
total_row=$((3 + 2 + rows + 1 + 1))
expect_eq "$(grep -o "<c r=\"C$total_row\"[^>]*><v>[0-9]*</v>" "$TEST_TMP/report.xml" | sed 's/.*<v>\(.*\)<\/v>/\1/')" \
    "$(jq '.total.new_organisations' <<<"$figures")" "the report's total is the JSON's"
expect_eq "$(jq '.total.new_organisations' <<<"$figures")" "$(count_under 210102)" "... the county's count"
check "no temporary report is left behind" bash -c '! ls "${TMPDIR:-/tmp}"/jiceng-??????.xlsx >/dev/null 2>&1'
export_as heping-viewer /api/v1/new-organisations/statistics/report
expect_status 200 "without a region: the caller's own"
for region in 210103 210103001; do
    as heping-viewer GET "/api/v1/new-organisations/statistics/report?region=$region"
    expect_error 404 not_found
done
as shenhe-viewer GET /api/v1/new-organisations/statistics/report?region=210102
expect_error 404 not_found
as heping-viewer GET "/api/v1/new-organisations/statistics/report?region=$(sql "SELECT MIN(code) FROM region WHERE code LIKE '210102%' AND level = 5")"
expect_error 400 invalid_parameter

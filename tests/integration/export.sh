#!/usr/bin/env bash
# Exports of the roster and the organisation list (GET /api/v1/roster/export and
# /api/v1/organisations/export) as CSV and XLSX: the CSV read back as a spreadsheet would (a
# BOM, Chinese headers, one row per roster entry, as many as the database holds), ID and mobile
# numbers masked by role, formula-looking cells that do not come back as formulas, the filters
# of the lists, bad parameters, and the jurisdiction of the sibling counties 和平区 and 沈河区.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"

for user in heping-clerk heping-viewer shenhe-viewer; do
    login "$user"
    expect_status 201 "$user logs in"
done

# export USER PATH: the export into $TEST_TMP/export (status etc. as http sets them).
export_as() {
    local user=$1 path=$2
    HTTP_REQUEST="GET $path"
    HTTP_STATUS=$(curl -sS -o "$TEST_TMP/export" -D "$TEST_TMP/headers" -w '%{http_code}' \
        --max-time 60 -b "$(jar "$user")" "$BASE_URL$path") || HTTP_STATUS=000
    HTTP_HEADERS=$(tr -d '\r' <"$TEST_TMP/headers")
    HTTP_BODY=$(head -c 600 "$TEST_TMP/export" | tr -d '\0')
}
# csv_rows: the last export read as CSV: {"bom": bool, "rows": [[cell, ...], ...]}.
csv_rows() { node "$(dirname "$0")/read_csv.mjs" "$TEST_TMP/export"; }
# sheet_xml: the worksheet of the last export (an XLSX), also kept in $TEST_TMP/sheet.xml.
sheet_xml() { unzip -p "$TEST_TMP/export" xl/worksheets/sheet1.xml | tee "$TEST_TMP/sheet.xml"; }

# --- Cadres whose names a spreadsheet would take for formulas --------------------------------------

org=$(make_org 210102001 4 '浑河湾街道导出测试妇委会' 2024-03-01)
names=("=cmd|' /C calc'!A0" "+1+1" "-2+3" "@SUM(A1:A2)" "=HYPERLINK(\"http://x\",\"y\")")
for i in "${!names[@]}"; do
    if [[ $(sql "SELECT COUNT(*) FROM person WHERE name = '${names[$i]//\'/\'\'}'") == 0 ]]; then
        create_cadre heping-clerk "$(cadre_body "${names[$i]}" "1980-01-0$((i + 1))" "$org" executive_member)"
    fi
done
# A tab or CR in front cannot come through the API (it trims); an organisation made in the
# database can have one.
sql "INSERT INTO organisation (region, level, kind, host_kind, name) VALUES
     ('210102001', 4, 'womens_committee', 'agency', CONCAT(CHAR(9), '=1+2')),
     ('210102001', 4, 'womens_committee', 'agency', CONCAT(CHAR(13), '=3+4'))" >/dev/null

# --- The roster as CSV ------------------------------------------------------------------------------

roster_count() {
    sql "SELECT COUNT(*) FROM position p JOIN person s ON s.id = p.person_id
         WHERE p.current AND p.region LIKE '$1%' AND s.region LIKE '$2%' ${3-}"
}

export_as heping-viewer /api/v1/roster/export
expect_status 200 "a viewer exports her county's roster"
expect_header Content-Type '^text/csv; charset=utf-8$'
expect_header Content-Disposition "^attachment; filename=\"roster-210102-[0-9-]+\\.csv\"; filename\\*=UTF-8''%E5%B9%B2%E9%83%A8%E5%90%8D%E5%86%8C-210102-"
csv=$(csv_rows)
expect_eq "$(jq .bom <<<"$csv")" true "the CSV starts with a UTF-8 BOM"
expect_eq "$(jq -c '.rows[0][0:4]' <<<"$csv")" '["姓名","性别","出生日期","年龄"]' "the headers are in Chinese"
expect_eq "$(jq '.rows | length - 1' <<<"$csv")" "$(roster_count 210102 210102)" \
    "the CSV parses back into one row per roster entry"
expect_eq "$(jq '[.rows[] | length] | unique' <<<"$csv" | jq -c .)" '[19]' "every row has every column"
expect_eq "$(jq '[.rows[1:][] | .[9] | startswith("210102") | not] | any' <<<"$csv")" false \
    "every row lies in the county"
expect_eq "$(jq -r '[.rows[1:][] | .[6]] | map(test("^[0-9]{6}\\*{8}[0-9]{3}[0-9X]$")) | all' <<<"$csv")" true \
    "a viewer's ID numbers are masked"
expect_eq "$(jq -r '[.rows[1:][] | .[7] | select(. != "")] | map(test("^1[0-9]{2}\\*{4}[0-9]{4}$")) | all' <<<"$csv")" true \
    "a viewer's mobile numbers are masked"
for name in "${names[@]}"; do
    expect_eq "$(jq --arg n "'$name" '[.rows[] | select(.[0] == $n)] | length' <<<"$csv")" 1 \
        "the name $name comes back with an apostrophe in front, as text"
done
expect_eq "$(jq '[.rows[1:][] | .[] | select(test("^[=+@\t\r-]"))] | length' <<<"$csv")" 0 \
    "no cell starts like a formula"

export_as heping-clerk /api/v1/roster/export
expect_status 200 "a clerk exports the roster"
csv=$(csv_rows)
id=$(sql "SELECT id_number FROM person WHERE name = '+1+1' LIMIT 1")
expect_eq "$(jq --arg id "$id" '[.rows[] | select(.[6] == $id)] | length' <<<"$csv")" 1 \
    "a clerk sees ID numbers in full"
expect_eq "$(jq -r '[.rows[1:][] | .[6]] | map(test("^[0-9]{17}[0-9X]$")) | all' <<<"$csv")" true \
    "... all of them"

# The filters of the roster.
export_as heping-viewer '/api/v1/roster/export?role=chair&under=210102001&sort=name'
expect_status 200
expect_eq "$(csv_rows | jq '.rows | length - 1')" \
    "$(roster_count 210102001 210102 "AND p.role = 'chair'")" "the roster's filters hold in the export"
expect_eq "$(csv_rows | jq '[.rows[1:][] | .[12]] | unique' | jq -c .)" '["主席"]' "only chairs"

# --- The roster as XLSX ------------------------------------------------------------------------------

export_as heping-viewer '/api/v1/roster/export?format=xlsx'
expect_status 200 "the roster as XLSX"
expect_header Content-Type '^application/vnd.openxmlformats-officedocument.spreadsheetml.sheet$'
expect_header Content-Disposition '^attachment; filename="roster-210102-[0-9-]+\.xlsx"'
sheet_xml >/dev/null
sheet=$TEST_TMP/sheet.xml
expect_eq "$(grep -o '<row ' "$sheet" | wc -l)" "$(($(roster_count 210102 210102) + 1))" \
    "the sheet has a row per roster entry and the header row"
check "the sheet's headers are in Chinese" grep -q '<t>姓名</t>' "$sheet"
check "no cell of the sheet is a formula" bash -c '! grep -q "<f>" "$1"' _ "$sheet"
check "a formula-looking name is a string cell" \
    grep -qF "t=\"inlineStr\"><is><t>=cmd|' /C calc'!A0</t>" "$sheet"
check "a viewer's ID numbers are masked in the sheet too" \
    bash -c '! grep -qE "<t>[0-9]{17}[0-9X]</t>" "$1"' _ "$sheet"
export_as heping-clerk '/api/v1/roster/export?format=xlsx'
sheet_xml >/dev/null
check "a clerk's sheet has the ID numbers in full" grep -q "<t>$id</t>" "$sheet"

# --- The organisations ------------------------------------------------------------------------------

export_as heping-viewer '/api/v1/organisations/export?under=210102001'
expect_status 200 "the organisations of a township as CSV"
expect_header Content-Disposition '^attachment; filename="organisations-210102001-[0-9-]+\.csv"'
csv=$(csv_rows)
expect_eq "$(jq -c '.rows[0][0:2]' <<<"$csv")" '["组织名称","区划代码"]' "the headers are in Chinese"
expect_eq "$(jq '.rows | length - 1' <<<"$csv")" \
    "$(sql "SELECT COUNT(*) FROM organisation WHERE region LIKE '210102001%'")" \
    "one row per organisation"
expect_eq "$(jq '[.rows[] | select(.[0] == "'"'"'\t=1+2" or .[0] == "'"'"'\r=3+4")] | length' <<<"$csv")" \
    "$(sql "SELECT COUNT(*) FROM organisation WHERE region = '210102001' AND name IN (CONCAT(CHAR(9), '=1+2'), CONCAT(CHAR(13), '=3+4'))")" \
    "names starting with a tab or a CR get an apostrophe"
export_as heping-viewer '/api/v1/organisations/export?level=village&format=xlsx'
expect_status 200 "the villages as XLSX"
expect_eq "$(sheet_xml | grep -o '<row ' | wc -l)" \
    "$(($(sql "SELECT COUNT(*) FROM organisation WHERE region LIKE '210102%' AND level = 5") + 1))" \
    "one row per village organisation"

# --- Bad parameters and the jurisdiction --------------------------------------------------------------

for path in '/api/v1/roster/export?format=pdf' '/api/v1/organisations/export?format=xls'; do
    as heping-viewer GET "$path"
    expect_error 400 invalid_parameter
done
as heping-viewer GET '/api/v1/roster/export?role=queen'
expect_error 400 invalid_parameter
as heping-viewer GET '/api/v1/organisations/export?under=2101x'
expect_error 400 invalid_parameter
as heping-viewer GET '/api/v1/organisations/export?under=210103'
expect_error 404 not_found
as heping-viewer GET '/api/v1/organisations/export?under=210103001'
expect_error 404 not_found
export_as heping-viewer '/api/v1/roster/export?under=210103'
expect_status 200
expect_eq "$(csv_rows | jq '.rows | length')" 1 "the roster under the sibling county is the header alone"
export_as shenhe-viewer /api/v1/roster/export
expect_eq "$(csv_rows | jq '[.rows[1:][] | .[9] | startswith("210103") | not] | any')" false \
    "沈河区's export holds only 沈河区"
export_as shenhe-viewer /api/v1/organisations/export
expect_eq "$(csv_rows | jq '[.rows[1:][] | .[1] | startswith("210103") | not] | any')" false \
    "沈河区's organisations only"
http GET /api/v1/roster/export
expect_status 401 "an export needs a session"
check "no temporary workbook is left behind" \
    bash -c '! ls "$JICENG_TEST_STATE"/tmp/jiceng-??????.xlsx >/dev/null 2>&1'

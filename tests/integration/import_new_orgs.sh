#!/usr/bin/env bash
# Importing new economic and social organisations from a file (POST
# /api/v1/imports/new-organisations, and `jiceng import new-organisations`): the template, a good
# file as a dry run and for real, the same file again changing nothing, a changed row updating
# its organisation, the same file as XLSX and as GB18030 CSV, and each kind of bad row refused
# with nothing written. The file-level cases (sizes, formats, encodings) are in import.sh: every
# kind shares that code.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/import_helpers.bash"
source "$(dirname "$0")/new_org_helpers.bash"

WATCHED_TABLES=(new_org)
for user in heping-clerk heping-viewer shenhe-clerk; do
    login "$user"
    expect_status 201 "$user logs in"
done
f=$TEST_TMP
NEW_ORG_HEADER='区划代码,组织名称,统一社会信用代码,类别,行业,固定职工人数,女职工人数,党组织评定,经营稳定,女职工队伍稳定,有合适的妇委会主任人选,联系人,联系电话'
run=I$(date +%s | tail -c 7)
township=$(sql "SELECT MIN(code) FROM region WHERE parent_code = '210102' AND level = 4")

# upload_new_orgs USER FILE [QUERY]: POSTs FILE as the new-organisation import.
upload_new_orgs() {
    as "$1" POST "/api/v1/imports/new-organisations${3-}" -H 'Content-Type: text/csv' --data-binary "@$2"
}
# refused_rows FILE ERRORS WHAT: the import of FILE by heping-clerk answers 422 with exactly
# the errors ERRORS ("line:column:field:code|..."), and nothing is written.
refused_rows() {
    local before
    before=$(state)
    upload_new_orgs heping-clerk "$1"
    expect_error 422 invalid_rows
    expect_eq "$(row_errors)" "$2" "$3: reported with its line and column"
    expect_eq "$(state)" "$before" "$3: nothing is written"
}
# row REGION NAME CODE [EMPLOYEES] [FEMALE] [RATING]: one line of a file.
row() {
    printf '%s,%s,%s,新经济组织,制造业,%s,%s,%s,是,是,否,张丽,13700002222\n' \
        "$1" "$2" "$3" "${4:-100}" "${5:-40}" "${6:-优秀}"
}

# --- The template -------------------------------------------------------------------------------

as heping-viewer GET /api/v1/imports/new-organisations/template
expect_status 200 "anyone signed in gets the new-organisation template"
expect_header Content-Disposition 'attachment; filename="new-organisations-template.csv"'
expect_eq "$(sed -n 1p "$TEST_TMP/body" | tail -c +4 | tr -d '\r')" "$NEW_ORG_HEADER" \
    "the template's first line is the Chinese headers"
check "its note line names the kinds" grep -q '必填：新经济组织、新社会组织' "$TEST_TMP/body"
check "... and the ratings" grep -q '选填：无、达标、优秀' "$TEST_TMP/body"
as heping-viewer GET '/api/v1/imports/new-organisations/template?format=json'
expect_json '[(.columns | length), .columns[3].allowed, .columns[2].required]' \
    '[13,["新经济组织","新社会组织"],true]' "the template as JSON"

# --- A good file: a dry run, the import, the same file again -------------------------------------

code1=$(new_credit_code) code2=$(new_credit_code) code3=$(new_credit_code)
{
    echo "$NEW_ORG_HEADER"
    echo "# a note line, as in the template, is skipped"
    row "$township" "${run}华美服装有限公司" "$code1" 120 45
    row 210102 "${run}和平区物流协会" "${code2,,}" 20 12 达标
    printf '%s,%s,%s,新社会组织,社会服务,8,3,,,,,,\n' "$township" "${run}阳光社工站" "$code3"
} >"$f/good.csv"
before=$(state)
upload_new_orgs heping-clerk "$f/good.csv" '?dry_run=true'
expect_status 200 "a dry run of a new-organisation file"
expect_json '[.committed, .rows, .new_organisations]' \
    '[false,3,{"created":3,"updated":0,"unchanged":0}]' "the dry run counts what it would do"
expect_eq "$(state)" "$before" "the dry run writes nothing"

before_audit=$(sql "SELECT MAX(id) FROM audit_log")
upload_new_orgs heping-clerk "$f/good.csv"
expect_status 200 "a new-organisation file is imported"
expect_json '[.committed, .new_organisations]' '[true,{"created":3,"updated":0,"unchanged":0}]'
expect_eq "$(sql "SELECT region, kind, sector, employees, female_employees, party_rating,
                         stable_operation, stable_female_workforce, suitable_chair, contact_phone,
                         coverage, version
                  FROM new_org WHERE credit_code = '$code1'")" \
    "$township economic 制造业 120 45 excellent 1 1 0 13700002222 none 1" \
    "a row is stored as POST /new-organisations would store it"
expect_eq "$(sql "SELECT party_rating, stable_operation, contact_name IS NULL FROM new_org
                  WHERE credit_code = '$code3'")" "none 0 1" "empty cells of a new one: the defaults"
expect_eq "$(sql "SELECT COUNT(*) FROM new_org WHERE credit_code = '$code2'")" 1 \
    "a lower-case credit code is stored in capitals"
expect_eq "$(sql "SELECT entity, action FROM audit_log WHERE id > $before_audit ORDER BY id" | sort |
    uniq -c | awk '{ printf "%s %s %s|", $1, $2, $3 }')" \
    "3 new_org create|1 new_org_import import|" "every organisation and the import are in the audit log"
id1=$(sql "SELECT id FROM new_org WHERE credit_code = '$code1'")
as heping-viewer GET "/api/v1/new-organisations/$id1"
expect_json '.recommendation.kind' '"committee_conditions_unmet"' \
    "an imported organisation gets its recommendation like any other"
# audited ID ACTION: the last audit entry's record after ACTION of new organisation ID, and the
# record as a clerk reads it now (without its coverage proposal, audited apart), each with
# sorted keys, to be the same.
audited() {
    as heping-clerk GET "/api/v1/new-organisations/$1"
    expect_eq "$(sql "SELECT after_data FROM audit_log WHERE entity = 'new_org' AND entity_id = '$1'
                      AND action = '$2' ORDER BY id DESC LIMIT 1" | jq -Sc .)" \
        "$(jq -Sc 'del(.coverage_request)' <<<"$HTTP_BODY")" \
        "the audit entry of the $2 holds the record as it is stored (built, not read back)"
}
audited "$id1" create

before=$(state)
upload_new_orgs heping-clerk "$f/good.csv"
expect_json '[.committed, .new_organisations]' '[true,{"created":0,"updated":0,"unchanged":3}]' \
    "the same file again finds everything as it is"
expect_eq "$(state)" "$before" "importing the same file again changes nothing, not even the audit log"

# The same rows as a workbook (numbers as number cells) and as GB18030 CSV: nothing changes.
sed -e '2d' -e 's/,120,45,/,#n120,#n45,/' "$f/good.csv" >"$f/good-xlsx.csv"
make_xlsx "$f/good.xlsx" "$f/good-xlsx.csv"
upload_new_orgs heping-clerk "$f/good.xlsx"
expect_json '[.committed, .new_organisations]' '[true,{"created":0,"updated":0,"unchanged":3}]' \
    "the same rows from an XLSX workbook change nothing"
iconv -f UTF-8 -t GB18030 "$f/good.csv" >"$f/good-gb.csv"
upload_new_orgs heping-clerk "$f/good-gb.csv"
expect_json '.new_organisations' '{"created":0,"updated":0,"unchanged":3}' \
    "the same rows saved as GB18030 change nothing"
expect_eq "$(state)" "$before" "... nor the audit log"

# A changed row updates its organisation, with a version and an audit entry; empty cells keep.
{
    echo "$NEW_ORG_HEADER"
    row "$township" "${run}华美服装有限公司" "$code1" 130 45 达标
    printf '%s,%s,%s,新社会组织,社会服务,8,3,,,,,,\n' "$township" "${run}阳光社工站" "$code3"
} >"$f/changed.csv"
before_audit=$(sql "SELECT MAX(id) FROM audit_log")
upload_new_orgs heping-clerk "$f/changed.csv"
expect_json '[.committed, .new_organisations]' '[true,{"created":0,"updated":1,"unchanged":1}]' \
    "a changed row updates, an unchanged one stays"
expect_eq "$(sql "SELECT employees, party_rating, version FROM new_org WHERE credit_code = '$code1'")" \
    "130 up_to_standard 2" "the organisation holds the row's values, its version one up"
expect_eq "$(sql "SELECT action, JSON_VALUE(before_data, '\$.employees'), JSON_VALUE(after_data, '\$.employees')
                  FROM audit_log WHERE id > $before_audit AND entity = 'new_org'")" \
    "update 120 130" "the change is in the audit log with before and after"
audited "$id1" update

# --- Bad rows: each one refused, with a good row beside it, and nothing written ------------------

good=$(row "$township" "${run}好组织" "$(new_credit_code)")
wrong=$(new_credit_code)
last=${wrong: -1}
[[ $last == 0 ]] && other=1 || other=0
printf '%s\n%s\n%s\n' "$NEW_ORG_HEADER" "$good" "$(row "$township" "${run}错码" "${wrong%?}$other")" >"$f/check.csv"
refused_rows "$f/check.csv" "3:3:credit_code:invalid" "a wrong credit-code check character"
expect_json '.errors[0].message' '"has a wrong check character"' "... says so"

dup=$(new_credit_code)
printf '%s\n%s\n%s\n%s\n' "$NEW_ORG_HEADER" "$good" "$(row "$township" "${run}甲" "$dup")" \
    "$(row 210102 "${run}乙" "$dup")" >"$f/dup.csv"
refused_rows "$f/dup.csv" "4:3:credit_code:duplicate" "the same credit code twice in one file"
expect_json '.errors[0].message' '"the same credit code is on line 3 already"'

printf '%s\n%s\n%s\n' "$NEW_ORG_HEADER" "$good" "$(row "$township" "${run}女多" "$(new_credit_code)" 10 11)" >"$f/female.csv"
refused_rows "$f/female.csv" "3:7:female_employees:invalid" "more female employees than employees"

printf '%s\n%s\n%s\n' "$NEW_ORG_HEADER" "$good" "$(row "$township" "${run}负数" "$(new_credit_code)" -5 0)" >"$f/negative.csv"
refused_rows "$f/negative.csv" "3:6:employees:invalid" "a negative number of employees"
printf '%s\n%s\n%s\n' "$NEW_ORG_HEADER" "$good" "$(row "$township" "${run}负数" "$(new_credit_code)" 5 -1)" >"$f/negative2.csv"
refused_rows "$f/negative2.csv" "3:7:female_employees:invalid" "a negative number of female employees"

printf '%s\n%s\n%s\n' "$NEW_ORG_HEADER" "$good" "$(row 210103005 "${run}沈河" "$(new_credit_code 210103)")" >"$f/outside.csv"
refused_rows "$f/outside.csv" "3:1:region:not_found" "a region outside the jurisdiction"
expect_json '.errors[0].message' '"no region 210103005 in your jurisdiction"'

printf '%s\n%s\n%s\n' "$NEW_ORG_HEADER" "$good" "$(row 210102001002 "${run}村里" "$(new_credit_code)")" >"$f/village.csv"
refused_rows "$f/village.csv" "3:1:region:invalid" "a village as the region"

printf '%s\n%s\n%s\n' "$NEW_ORG_HEADER" "$good" "$(row 210102 "${run}搬家" "$code1")" >"$f/moved.csv"
refused_rows "$f/moved.csv" "3:1:region:invalid" "a registered organisation in another region"

# A credit code registered in the sibling county: a row error, as POST answers 409.
create_new_org shenhe-clerk "$(new_org_body "${run}沈河区公司" 210103 5)"
theirs=$(sql "SELECT credit_code FROM new_org WHERE id = '$NEW_ORG'")
printf '%s\n%s\n%s\n' "$NEW_ORG_HEADER" "$good" "$(row "$township" "${run}冒用" "$theirs")" >"$f/theirs.csv"
refused_rows "$f/theirs.csv" "3:3:credit_code:duplicate" "a credit code registered outside the jurisdiction"

{
    echo "$NEW_ORG_HEADER"
    echo "$good"
    printf '%s,%s,%s,个体户,,1,0,很好,也许,,,,12ab\n' "$township" "${run}乱填" "$(new_credit_code)"
} >"$f/values.csv"
refused_rows "$f/values.csv" \
    "3:4:kind:invalid|3:5:sector:required|3:8:party_rating:invalid|3:9:stable_operation:invalid|3:13:contact_phone:invalid" \
    "values a column does not allow, and an empty required cell"
expect_json '.errors[0].message' '"must be one of 新经济组织、新社会组织"' "... naming the allowed values"

upload_new_orgs heping-clerk "$f/values.csv" '?errors=csv'
expect_status 422 "the errors as a file"
expect_header Content-Type '^text/csv'
check "the error file lists the rows" grep -q '3,4,类别,invalid' "$TEST_TMP/body"

before=$(state)
upload_new_orgs heping-viewer "$f/good.csv"
expect_error 403 forbidden
expect_eq "$(state)" "$before" "a viewer cannot import"

# --- The command line ---------------------------------------------------------------------------

cli() {
    CLI_STATUS=0
    "$JICENG_BIN" --config "$CONFIG" import "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" || CLI_STATUS=$?
    CLI_OUT=$(<"$TEST_TMP/out")
    CLI_ERR=$(<"$TEST_TMP/err")
}
code4=$(new_credit_code)
printf '%s\n%s\n' "$NEW_ORG_HEADER" "$(row "$township" "${run}命令行公司" "$code4")" >"$f/cli.csv"
before=$(state)
cli new-organisations "$f/cli.csv" --as-region 210102 --dry-run
expect_eq "$CLI_STATUS" 0 "a dry run on the command line"
expect_eq "$(head -1 <<<"$CLI_OUT")" "dry run: 1 rows; new_organisations: 1 created, 0 updated, 0 unchanged; nothing written" \
    "it says what it would do"
expect_eq "$(state)" "$before" "... and writes nothing"
cli new-organisations "$f/cli.csv" --as-region 210103
expect_eq "$CLI_STATUS" 1 "acting for the sibling county fails"
expect_eq "$(head -1 <<<"$CLI_ERR")" "$f/cli.csv:2: column 1 (区划代码): no region $township in your jurisdiction" \
    "the error as FILE:LINE"
expect_eq "$(state)" "$before" "... and nothing is written"
cli new-organisations "$f/cli.csv" --as-region 210102
expect_eq "$CLI_STATUS" 0 "the import on the command line"
expect_eq "$(sql "SELECT actor, action FROM audit_log WHERE entity = 'new_org' ORDER BY id DESC LIMIT 1")" \
    "jiceng import create" "the audit log names the command"

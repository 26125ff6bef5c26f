#!/usr/bin/env bash
# Importing organisations from a file (POST /api/v1/imports/organisations): the template, new
# committees and a changed federation, the same file again with nothing changed, 会改联 by
# import, and bad rows refused with nothing written. The sibling-county cases are in
# jurisdiction.sh; the file-level cases (encodings, sizes, formats) in import.sh, as both
# kinds share that code.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/import_helpers.bash"

for user in heping-clerk heping-viewer; do
    login "$user"
    expect_status 201 "$user logs in"
done
f=$TEST_TMP

as heping-viewer GET /api/v1/imports/organisations/template
expect_status 200 "anyone signed in gets the organisation template"
expect_header Content-Disposition 'attachment; filename="organisations-template.csv"'
expect_eq "$(sed -n 1p "$TEST_TMP/body" | tail -c +4 | tr -d '\r')" "$ORG_HEADER" \
    "the template's first line is the Chinese headers"
check "its note line names the kinds" grep -q '必填：妇联、妇代会、妇委会' "$TEST_TMP/body"

# --- New committees and a changed federation; then the same file again --------------------------

village=$(sql "SELECT federation_of FROM organisation WHERE kind = 'federation' AND level = 5
               AND federation_of LIKE '210102016%' ORDER BY federation_of LIMIT 1")
village_name=$(sql "SELECT name FROM organisation WHERE federation_of = '$village'")
{
    echo "$ORG_HEADER"
    echo "210102016,妇委会,企业,马路湾街道导入测试公司妇委会,2024-03-01,5,,"
    echo "210102,妇委会,社会组织,和平区导入测试协会妇委会,,,,"
    echo "$village,妇联,,$village_name,2025-04-01,5,2025-03-20,"
} >"$f/good.csv"
before=$(org_state)
upload_orgs heping-clerk "$f/good.csv" '?dry_run=true'
expect_status 200 "a dry run of an organisation file"
expect_json '[.committed, .organisations]' '[false,{"created":2,"updated":1,"unchanged":0}]'
expect_eq "$(org_state)" "$before" "the dry run writes nothing"

before_audit=$(sql "SELECT MAX(id) FROM audit_log")
upload_orgs heping-clerk "$f/good.csv"
expect_status 200 "an organisation file is imported"
expect_json '[.committed, .rows, .organisations]' '[true,3,{"created":2,"updated":1,"unchanged":0}]'
expect_eq "$(sql "SELECT level, kind, host_kind, term_start, term_years FROM organisation
                  WHERE region = '210102016' AND name = '马路湾街道导入测试公司妇委会'")" \
    "4 womens_committee enterprise 2024-03-01 5" "a new committee is stored as the API would"
expect_eq "$(sql "SELECT term_start, village_committee_election FROM organisation WHERE federation_of = '$village'")" \
    "2025-04-01 2025-03-20" "the existing federation of the village gets its new term"
expect_eq "$(sql "SELECT entity, action FROM audit_log WHERE id > $before_audit ORDER BY id" | sort | uniq -c |
    awk '{ printf "%s %s %s|", $1, $2, $3 }')" \
    "2 organisation create|1 organisation update|1 organisation_import import|" \
    "every change and the import itself are in the audit log"

before=$(org_state)
upload_orgs heping-clerk "$f/good.csv"
expect_json '[.committed, .organisations]' '[true,{"created":0,"updated":0,"unchanged":3}]' \
    "the same file again finds everything as it is"
expect_eq "$(org_state)" "$before" "importing the same file again changes nothing"

# 会改联: a village's women's congress becomes its federation, only with the date. Tests that
# ran before (statistics, this one on the same stack) may have converted the generated ones:
# then a village federation goes back to being a congress, in the database.
congress=$(sql "SELECT federation_of FROM organisation WHERE kind = 'womens_congress'
                AND federation_of LIKE '210102%' ORDER BY federation_of LIMIT 1")
if [[ -z $congress ]]; then
    congress=$(sql "SELECT federation_of FROM organisation WHERE kind = 'federation' AND level = 5
                    AND federation_of LIKE '210102%' ORDER BY federation_of LIMIT 1")
    sql "UPDATE organisation SET kind = 'womens_congress', converted_on = NULL, version = version + 1
         WHERE federation_of = '$congress'"
fi
if [[ -n $congress ]]; then
    name=$(sql "SELECT name FROM organisation WHERE federation_of = '$congress'")
    printf '%s\n%s,妇联,,%s,,,,\n' "$ORG_HEADER" "$congress" "$name" >"$f/convert-nodate.csv"
    refused_org_import 422 invalid_rows heping-clerk "$f/convert-nodate.csv"
    expect_eq "$(jq -r '[.errors[] | "\(.line):\(.field):\(.code)"] | join("|")' <<<"$HTTP_BODY")" \
        "2:converted_on:required" "a congress becomes a federation only with its 会改联 date"
    printf '%s\n%s,妇联,,%s,,,,2025-06-01\n' "$ORG_HEADER" "$congress" "$name" >"$f/convert.csv"
    upload_orgs heping-clerk "$f/convert.csv"
    expect_json '.organisations.updated' 1 "会改联 by import"
    expect_eq "$(sql "SELECT kind, converted_on FROM organisation WHERE federation_of = '$congress'")" \
        "federation 2025-06-01"
    expect_eq "$(sql "SELECT action FROM audit_log WHERE entity = 'organisation' ORDER BY id DESC LIMIT 1")" \
        convert "... recorded as a conversion"
else
    fail "no women's congress under 210102 in the generated data"
fi

# --- Bad rows: every one reported, nothing written ----------------------------------------------

{
    echo "$ORG_HEADER"
    echo "210102001002,妇委会,企业,社区里的妇委会,,,,"
    echo "210102016,妇委会,,没有依托单位的妇委会,,,,"
    echo "210103005,妇委会,企业,沈河区的妇委会,,,,"
    echo "210102016,妇委会,企业,重复的妇委会,,,,"
    echo "210102016,妇委会,企业,重复的妇委会,,,,"
    echo "210102016,妇委会,机关,,,,,"
    echo "210102016,妇委会,机关,任期太长的妇委会,2024-01-01,7,,"
    echo "210102016,妇联会,机关,类型不对的组织,,,,"
} >"$f/bad.csv"
refused_org_import 422 invalid_rows heping-clerk "$f/bad.csv"
expect_eq "$(jq -r '[.errors[] | "\(.line):\(.column):\(.field):\(.code)"] | join("|")' <<<"$HTTP_BODY")" \
    "2:2:kind:invalid|3:3:host_kind:required|4:1:region:not_found|6:4:name:duplicate|7:4:name:required|8:6:term_years:invalid|9:2:kind:invalid" \
    "each bad row is reported with its line and column"
expect_json '.errors[0].message' '"a women'"'"'s committee is registered under a county or a township"' \
    "the rule comes from the API's own check"
refused_org_import 403 forbidden heping-viewer "$f/good.csv"

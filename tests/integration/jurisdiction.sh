#!/usr/bin/env bash
# The jurisdiction mechanism itself, at the database: the application's account reaches
# business data only through the my_* views, and they are empty until @jurisdiction is set.
# (Each endpoint's own sibling-county tests live with the endpoint's tests.)
source "$(dirname "$0")/lib.sh"

# app SQL: runs SQL as the application's account; prints the result, fails on an error.
app() { db_app --skip-column-names -e "$1" 2>&1; }

for table in organisation person position training; do
    out=$(app "SELECT COUNT(*) FROM $table") && status=ok || status=refused
    expect_eq "$status" refused "the application account cannot read the table $table"
done
out=$(app "SELECT COUNT(*) FROM audit_log") && status=ok || status=refused
expect_eq "$status" refused "the application account cannot read the audit log behind its view"

expect_eq "$(app "SELECT COUNT(*) FROM my_region")" 0 "with @jurisdiction unset the views are empty"
expect_eq "$(app "SET @jurisdiction = '-'; SELECT COUNT(*) FROM my_region")" 0 \
    "the no-jurisdiction value matches nothing"
expect_eq "$(app "SET @jurisdiction = '210102'; SELECT COUNT(*) FROM my_region WHERE code NOT LIKE '210102%'")" 0 \
    "a county's view holds only its subtree"
check "a county's view holds the county" \
    test "$(app "SET @jurisdiction = '210102'; SELECT COUNT(*) FROM my_region WHERE code = '210102'")" = 1

out=$(app "SET @jurisdiction = '210102';
    INSERT INTO my_organisation (region, level, kind, name) VALUES ('210103', 3, 'federation', 'x')") &&
    status=ok || status=refused
expect_eq "$status" refused "a row outside the jurisdiction cannot be written through the view"
check "... and the refusal names the check option" grep -q "CHECK OPTION" <<<"$out"

# --- Imports (POST /api/v1/imports/cadres) between the sibling counties ---------------------------
# A row is looked up and written through the my_* views: a clerk of one county cannot put a
# cadre into the other's organisations, whether she names the region, the organisation, or the
# ID number of a person on the other's roll; and the error file tells her nothing about them.
source "$(dirname "$0")/cadre_helpers.bash"
source "$(dirname "$0")/import_helpers.bash"
for user in heping-clerk shenhe-clerk; do
    login "$user"
    expect_status 201 "$user logs in"
done
heping_org=$(make_org 210102002 4 '和平区辖区测试妇委会')
shenhe_org=$(make_org 210103005 4 '沈河区辖区测试妇委会')
f=$TEST_TMP
for case in "heping-clerk 210103005 沈河区辖区测试妇委会" "shenhe-clerk 210102002 和平区辖区测试妇委会" \
    "heping-clerk 210103005 -" "shenhe-clerk 210102002 -" "shenhe-clerk 210102 -" "heping-clerk 21 -"; do
    read -r user region org <<<"$case"
    [[ $org == - ]] && org=''
    { echo "$IMPORT_HEADER"; import_row "$region" "$org" 边界 1991-01-01; } >"$f/other.csv"
    refused_import 422 invalid_rows "$user" "$f/other.csv"
    expect_json '.errors[0].code' '"not_found"' "$user cannot import into $region ${org:-(its federation)}"
    expect_json '[.people.created, .positions.added]' '[0,0]'
done
# A guessed organisation name of the other county in one's own region is not found either.
{ echo "$IMPORT_HEADER"; import_row 210102002 沈河区辖区测试妇委会 边界 1991-01-01; } >"$f/guess.csv"
refused_import 422 invalid_rows heping-clerk "$f/guess.csv"
# The other county's cadre, by her ID number: refused, not taken over or changed.
create_cadre shenhe-clerk "$(cadre_body 沈燕 1982-02-02 "$shenhe_org" chair)"
taken=$(sql "SELECT id_number FROM person WHERE id = $CADRE")
{ echo "$IMPORT_HEADER"; import_row 210102002 '' 沈燕 1982-02-02 "$taken"; } >"$f/taken.csv"
refused_import 422 invalid_rows heping-clerk "$f/taken.csv"
expect_eq "$(row_errors)" "2:9:id_number:duplicate" "the other county's cadre cannot be imported over"
expect_eq "$(sql "SELECT region, version FROM person WHERE id = $CADRE")" "210103005 1" \
    "... and stays as she was"
# Each county imports into its own organisations.
{ echo "$IMPORT_HEADER"; import_row 210103005 沈河区辖区测试妇委会 沈丽 1983-03-03; } >"$f/own.csv"
upload shenhe-clerk "$f/own.csv"
expect_status 200 "shenhe-clerk imports into her own county"
expect_eq "$(sql "SELECT COUNT(*) FROM position WHERE organisation_id = $shenhe_org")" 2
check "heping's organisation got nothing" test "$(sql "SELECT COUNT(*) FROM position WHERE organisation_id = $heping_org")" = 0
# Organisations: neither county can put one into the other's regions, nor change the other's.
for case in "heping-clerk 210103005" "shenhe-clerk 210102016"; do
    read -r user region <<<"$case"
    printf '%s\n%s,妇委会,企业,越界的妇委会,,,,\n' "$ORG_HEADER" "$region" >"$f/org-other.csv"
    before=$(org_state)
    upload_orgs "$user" "$f/org-other.csv"
    expect_error 422 invalid_rows
    expect_json '.errors[0] | [.field, .code]' '["region","not_found"]' "$user cannot import an organisation into $region"
    printf '%s\n%s,妇联,,改名的妇联,2024-01-01,5,,\n' "$ORG_HEADER" "$region" >"$f/org-rename.csv"
    upload_orgs "$user" "$f/org-rename.csv"
    expect_error 422 invalid_rows
    expect_eq "$(org_state)" "$before" "$user changes nothing in the other county"
done

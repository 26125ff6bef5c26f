#!/usr/bin/env bash
# The jurisdiction mechanism itself, at the database: the application's account reaches
# business data only through the my_* views, and they are empty until @jurisdiction is set.
# (Each endpoint's own sibling-county tests live with the endpoint's tests.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"
source "$(dirname "$0")/new_org_helpers.bash"

# app SQL: runs SQL as the application's account; prints the result, fails on an error.
app() { db_app --skip-column-names -e "$1" 2>&1; }

for table in organisation person position training new_org new_org_link new_org_visit; do
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

# The statistics (migration 006): the counts kept per county only through their view, and both
# statistics views empty until @jurisdiction is set and limited to it afterwards.
for table in stat_county stat_township; do
    out=$(app "SELECT COUNT(*) FROM $table") && status=ok || status=refused
    expect_eq "$status" refused "the application account cannot read $table behind its view"
done
for view in my_stat_county my_stat_township my_stat_recount; do
    expect_eq "$(app "SELECT COUNT(*) FROM $view")" 0 "with @jurisdiction unset $view is empty"
done
expect_eq "$(app "SET @jurisdiction = '210102'; SELECT COUNT(*) FROM my_stat_county WHERE county NOT LIKE '210102%'")" 0 \
    "a county's kept counts hold only its own"
expect_eq "$(app "SET @jurisdiction = '210102'; SELECT COUNT(*) FROM my_stat_township WHERE township NOT LIKE '210102%'")" 0 \
    "a county's counts per township hold only its townships"
expect_eq "$(app "SET @jurisdiction = '210102'; SELECT COUNT(*) FROM my_stat_recount WHERE region NOT LIKE '210102%'")" 0 \
    "a county's recount holds only its subtree"

# Every endpoint of the statistics and exports with the users of the sibling counties 和平区 and
# 沈河区: each reads its own, the other's answers 404 (also for codes guessed under it).
for user in heping-viewer shenhe-viewer; do
    login "$user"
    expect_status 201 "$user logs in"
done
heping_village=$(db_admin --skip-column-names -e "SELECT MIN(code) FROM region WHERE code LIKE '210102%' AND level = 5")
shenhe_village=$(db_admin --skip-column-names -e "SELECT MIN(code) FROM region WHERE code LIKE '210103%' AND level = 5")
for path in /api/v1/statistics/210102 "/api/v1/statistics/$heping_village"; do
    as heping-viewer GET "$path"
    expect_status 200 "heping-viewer reads $path"
    as shenhe-viewer GET "$path"
    expect_error 404 not_found
done
for path in /api/v1/statistics/210103 "/api/v1/statistics/$shenhe_village"; do
    as shenhe-viewer GET "$path"
    expect_status 200 "shenhe-viewer reads $path"
    as heping-viewer GET "$path"
    expect_error 404 not_found
done

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
# regions_of_export COLUMN: the distinct county codes (6 digits) in COLUMN of the last CSV answer.
regions_of_export() {
    node "$(dirname "$0")/read_csv.mjs" "$TEST_TMP/body" |
        jq -c --argjson c "$1" '[.rows[1:][] | .[$c][0:6]] | unique'
}
for export in roster:9 organisations:1; do
    path=/api/v1/${export%:*}/export
    as heping-viewer GET "$path"
    expect_status 200 "heping-viewer exports $path"
    expect_eq "$(regions_of_export "${export#*:}")" '["210102"]' "... only rows of 和平区"
    as shenhe-viewer GET "$path"
    expect_status 200 "shenhe-viewer exports $path"
    expect_eq "$(regions_of_export "${export#*:}")" '["210103"]' "... only rows of 沈河区"
done
for code in 210102 "$heping_village"; do
    as shenhe-viewer GET "/api/v1/organisations/export?under=$code"
    expect_error 404 not_found
    as shenhe-viewer GET "/api/v1/roster/export?under=$code"
    expect_status 200 "a roster export under $code for shenhe-viewer answers"
    expect_eq "$(grep -c '' <<<"$HTTP_BODY")" 1 "... with the header row alone"
done
expect_eq "$(curl -sS -o /dev/null -w '%{http_code}' -b "$(jar heping-viewer)" \
    "$BASE_URL/api/v1/statistics/210102/report")" 200 "heping-viewer reads her county's report"
for code in 210102 "$heping_village"; do
    as shenhe-viewer GET "/api/v1/statistics/$code/report"
    expect_error 404 not_found
done
as heping-viewer GET "/api/v1/statistics/$shenhe_village/report"
expect_error 404 not_found

# Workflows and re-elections (migration 005).
for table in workflow_chain workflow_request workflow_request_step workflow_event reelection \
    reelection_candidate; do
    out=$(app "SELECT COUNT(*) FROM $table") && status=ok || status=refused
    expect_eq "$status" refused "the application account cannot read the table $table"
done
out=$(app "SET @jurisdiction = '210102001002'; UPDATE my_workflow_event SET comment = 'x'") &&
    status=ok || status=refused
expect_eq "$status" refused "a request's history cannot be changed through its view"
expect_eq "$(app "SET @jurisdiction = '210102001002'; SELECT COUNT(*) FROM my_workflow_chain
                  WHERE region = '' AND kind = 'reelection_plan'")" 6 \
    "the default chains apply to a village, from above its jurisdiction"
expect_eq "$(app "SELECT COUNT(*) FROM my_workflow_chain")" 0 "with @jurisdiction unset no chain applies"
out=$(app "SET @jurisdiction = '210102';
    INSERT INTO my_reelection (organisation_id, region, planned_date, term_years, seats_chair,
        seats_vice_full, seats_vice_part, seats_standing, seats_executive)
    SELECT id, region, '2030-01-01', 5, 1, 0, 0, 0, 0 FROM organisation WHERE region = '210103' LIMIT 1") &&
    status=ok || status=refused
expect_eq "$status" refused "a re-election outside the jurisdiction cannot be written through the view"
for view in my_workflow_request my_workflow_event my_reelection my_reelection_candidate; do
    expect_eq "$(app "SET @jurisdiction = '210103'; SELECT COUNT(*) FROM $view WHERE region NOT LIKE '210103%'")" 0 \
        "$view holds the jurisdiction only"
done
# --- New organisations: 沈河区 never sees or changes 和平区's, the guessed ids included --------

WATCHED_TABLES=(new_org new_org_link new_org_visit organisation position new_org_coverage_request
    workflow_request)
for user in heping-clerk shenhe-clerk shenhe-viewer; do
    login "$user"
    expect_status 201 "$user logs in"
done
create_new_org heping-clerk "$(new_org_body 和平测试企业 210102001 40)"
heping_org=$NEW_ORG
create_new_org shenhe-clerk "$(new_org_body 沈河测试企业 210103 40)"
shenhe_org=$NEW_ORG
for id in "$heping_org" $((heping_org - 1)) $((heping_org + 1)) $((shenhe_org + 1)) 1 2; do
    ((id > 0)) || continue
    [[ -n $(sql "SELECT id FROM new_org WHERE id = $id AND region LIKE '210103%'") ]] && continue
    for user in shenhe-clerk shenhe-viewer; do
        as "$user" GET "/api/v1/new-organisations/$id"
        expect_error 404 not_found
    done
    refused 404 not_found id shenhe-clerk PATCH "/api/v1/new-organisations/$id" '{"version":1,"sector":"x"}'
    refused 404 not_found id shenhe-clerk POST "/api/v1/new-organisations/$id/coverage" \
        '{"version":1,"kind":"committee","start_date":"2025-01-01"}'
done
refused 404 not_found id heping-clerk PATCH "/api/v1/new-organisations/$shenhe_org" '{"version":1,"sector":"x"}'
refused 404 not_found region shenhe-clerk POST /api/v1/new-organisations "$(new_org_body x 210102001 1)"
as shenhe-viewer GET "/api/v1/new-organisations?under=210102"
expect_error 404 not_found
as shenhe-viewer GET "/api/v1/new-organisations?under=21"
expect_status 200 "a list above the jurisdiction is the jurisdiction's"
expect_json "[.items[].region | select(startswith(\"210103\") | not)]" '[]' "... and holds nothing of 和平区"
as shenhe-viewer GET "/api/v1/new-organisations/worklist?region=210102001"
expect_error 404 not_found

# Links and visits of executive members.
year_start=$(date -u +%Y)-01-01
# Each committee proposed where its organisation is registered and approved a level up; the
# other county neither sees nor decides the request.
for user in hunhewan-clerk heping-approver shenhe-approver shenyang-approver; do
    login "$user"
done
propose hunhewan-clerk "$heping_org" "{\"version\":1,\"kind\":\"committee\",\"start_date\":\"$year_start\"}"
heping_request=$REQUEST
as shenhe-approver GET "/api/v1/requests/$heping_request"
expect_error 404 not_found
refused 404 not_found id shenhe-approver POST "/api/v1/requests/$heping_request/decisions" \
    '{"version":2,"step":1,"action":"approve"}'
as shenhe-approver GET /api/v1/inbox?limit=200
expect_json "[.items[] | select(.id == $heping_request)]" '[]' "nor is it in her inbox"
decide heping-approver "$heping_request" approve
expect_json .state '"completed"' "和平区 approves its township's committee"
cover_through_chain shenhe-clerk shenyang-approver "$shenhe_org" \
    "{\"version\":1,\"kind\":\"committee\",\"start_date\":\"$year_start\"}"
create_cadre heping-clerk "$(cadre_body 和平执委 1970-01-01 "$(sql "SELECT id FROM organisation WHERE federation_of = '210102'")" executive_member)"
heping_member=$CADRE
create_cadre shenhe-clerk "$(cadre_body 沈河执委 1970-01-01 "$(sql "SELECT id FROM organisation WHERE federation_of = '210103'")" executive_member)"
shenhe_member=$CADRE
as heping-clerk POST /api/v1/new-org-links "${JSON[@]}" \
    --data "{\"person_id\":$heping_member,\"new_org_id\":$heping_org,\"start_date\":\"$year_start\"}"
expect_status 201 "和平区 links its member to its committee"
heping_link=$(jq -r .id <<<"$HTTP_BODY")
refused 404 not_found new_org_id shenhe-clerk POST /api/v1/new-org-links \
    "{\"person_id\":$shenhe_member,\"new_org_id\":$heping_org,\"start_date\":\"$year_start\"}"
refused 404 not_found person_id shenhe-clerk POST /api/v1/new-org-links \
    "{\"person_id\":$heping_member,\"new_org_id\":$shenhe_org,\"start_date\":\"$year_start\"}"
refused 404 not_found new_org_id heping-clerk POST /api/v1/new-org-links \
    "{\"person_id\":$heping_member,\"new_org_id\":$shenhe_org,\"start_date\":\"$year_start\"}"
for id in "$heping_link" $((heping_link - 1)) $((heping_link + 1)) 1 2; do
    ((id > 0)) || continue
    [[ -n $(sql "SELECT id FROM new_org_link WHERE id = $id AND region LIKE '210103%'") ]] && continue
    as shenhe-viewer GET "/api/v1/new-org-links/$id"
    expect_error 404 not_found
    refused 404 not_found id shenhe-clerk POST "/api/v1/new-org-links/$id/end" \
        "{\"version\":1,\"end_date\":\"$year_start\"}"
    refused 404 not_found id shenhe-clerk POST "/api/v1/new-org-links/$id/visits" \
        "{\"visited_on\":\"$year_start\"}"
done
as shenhe-viewer GET "/api/v1/new-org-links/due?under=210102"
expect_error 404 not_found
as shenhe-viewer GET /api/v1/new-org-links/due
expect_json "[.items[].region | select(startswith(\"210103\") | not)]" '[]' "沈河区's due list holds nothing of 和平区"
as shenhe-viewer GET /api/v1/new-organisations/statistics?region=210102
expect_error 404 not_found
as shenhe-viewer GET /api/v1/new-organisations/statistics?region=210102001
expect_error 404 not_found
as shenhe-viewer GET /api/v1/new-organisations/statistics
expect_json '[.total.region, ([.children[].region | select(startswith("210103") | not)])]' '["210103",[]]' \
    "沈河区's statistics are 沈河区's"
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

# --- The oversight of re-elections, as JSON and as a file, between the sibling counties ----------
for user in heping-viewer shenhe-viewer; do
    login "$user"
    expect_status 201 "$user logs in"
done
for path in /api/v1/oversight/reelections /api/v1/oversight/reelections/export; do
    as heping-viewer GET "$path?under=210102"
    expect_status 200 "heping-viewer reads $path of her county"
    as shenhe-viewer GET "$path?under=210102"
    expect_error 404 not_found
    as shenhe-viewer GET "$path?under=$heping_village"
    expect_error 404 not_found
done

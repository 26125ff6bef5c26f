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

# --- New organisations: 沈河区 never sees or changes 和平区's, the guessed ids included --------

WATCHED_TABLES=(new_org new_org_link new_org_visit organisation position)
for user in heping-clerk shenhe-clerk shenhe-viewer; do
    login "$user"
    expect_status 201 "$user logs in"
done
create_new_org heping-clerk "$(new_org_body 和平测试企业 210102001 40)"
heping_org=$NEW_ORG
create_new_org shenhe-clerk "$(new_org_body 沈河测试企业 210103005 40)"
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
for who in "heping-clerk $heping_org" "shenhe-clerk $shenhe_org"; do
    read -r user org <<<"$who"
    as "$user" POST "/api/v1/new-organisations/$org/coverage" "${JSON[@]}" \
        --data "{\"version\":1,\"kind\":\"committee\",\"start_date\":\"$year_start\"}"
    expect_status 200 "$user records a committee"
done
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

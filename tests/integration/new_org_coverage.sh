#!/usr/bin/env bash
# A new organisation's coverage proposal returned to the township that made it (PATCH
# /api/v1/new-organisations/{id}/coverage, POST /requests/{id}/withdraw): every refusal of a
# change writes nothing; a changed committee is submitted again and approved as changed; a
# liaison officer is changed between a new person and one of the roster; a returned proposal is
# withdrawn and the organisation gets a new one. 浑河湾街道 (210102001) proposes, 和平区 approves.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"
source "$(dirname "$0")/new_org_helpers.bash"

WATCHED_TABLES=(organisation position person new_org new_org_coverage_request workflow_request
    workflow_request_step workflow_event)
for user in hunhewan-clerk hunhewan-viewer heping-clerk heping-approver shenhe-clerk; do
    login "$user"
    expect_status 201 "$user logs in"
done
clerk=hunhewan-clerk
township=210102001
run=C$(date +%s | tail -c 7)
tomorrow=$(date -u -d tomorrow +%F)
federation=$(sql "SELECT id FROM organisation WHERE federation_of = '$township'")
create_cadre "$clerk" "$(cadre_body 苏晓红 1986-06-06 "$federation" executive_member)"
chair=$CADRE

# change USER NEW_ORG BODY: PATCH .../coverage; the answer in HTTP_*.
change() {
    as "$1" PATCH "/api/v1/new-organisations/$2/coverage" "${JSON[@]}" --data "$3"
}
# request_version REQUEST: the request's version as its clerk reads it.
request_version() {
    as "$clerk" GET "/api/v1/requests/$1"
    jq -r .version <<<"$HTTP_BODY"
}

# --- A committee: returned, changed, submitted again, approved as changed ------------------------

create_new_org "$clerk" "$(new_org_body "${run}恒通机械有限公司" "$township" 50)"
hengtong=$NEW_ORG
create_new_org "$clerk" "$(new_org_body "${run}未提议公司" "$township" 50)"
unproposed=$NEW_ORG
propose "$clerk" "$hengtong" '{"version":1,"kind":"committee","start_date":"2025-03-01","note":"女职工50人"}'
request=$REQUEST
expect_json '[.coverage_request.version, .coverage_request.term_years, .coverage_request.request.state]' \
    '[1,5,"in_progress"]' "the proposal waits at the county"
refused 409 not_editable - "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    '{"version":1,"term_years":3}'
expect_json .error.message '"the proposal'"'"'s request is in_progress: only a returned proposal is changed"' \
    "a proposal under way is not changed"
refused 404 not_found id "$clerk" PATCH "/api/v1/new-organisations/$unproposed/coverage" \
    '{"version":1,"term_years":3}'
refused 404 not_found id "$clerk" PATCH /api/v1/new-organisations/999999999/coverage '{"version":1}'

decide heping-approver "$request" return "请补充妇委会主任人选，任期改为3年"
expect_json .state '"returned"' "the county returns the proposal"

# Every refusal of a change writes nothing.
refused 403 forbidden - hunhewan-viewer PATCH "/api/v1/new-organisations/$hengtong/coverage" '{"version":1,"term_years":3}'
refused 403 forbidden - heping-approver PATCH "/api/v1/new-organisations/$hengtong/coverage" '{"version":1,"term_years":3}'
refused 403 not_registering_office - heping-clerk PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    '{"version":1,"term_years":3}'
refused 404 not_found id shenhe-clerk PATCH "/api/v1/new-organisations/$hengtong/coverage" '{"version":1,"term_years":3}'
refused 409 stale_version version "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    '{"version":2,"term_years":3}'
refused 422 required version "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" '{"term_years":3}'
refused 422 invalid kind "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    "{\"version\":1,\"kind\":\"liaison_officer\",\"person_id\":$chair}"
expect_json .error.message '"kind: the proposal of a committee stays one; withdraw it and propose the other"'
refused 422 invalid kind "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" '{"version":1,"kind":"club"}'
refused 422 invalid start_date "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    "{\"version\":1,\"start_date\":\"$tomorrow\"}"
refused 422 required start_date "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    '{"version":1,"start_date":null}'
refused 422 invalid term_years "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    '{"version":1,"term_years":6}'
refused 422 invalid person_id "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    "{\"version\":1,\"person_id\":$chair}"
refused 404 not_found chair_person_id "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    '{"version":1,"chair_person_id":999999999}'
# The rules are those of the organisation as it is now.
as "$clerk" PATCH "/api/v1/new-organisations/$hengtong" "${JSON[@]}" --data '{"version":1,"female_employees":12}'
expect_status 200 "the organisation shrinks while its proposal is returned"
refused 422 not_warranted kind "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    '{"version":1,"term_years":3}'
as "$clerk" PATCH "/api/v1/new-organisations/$hengtong" "${JSON[@]}" --data '{"version":2,"female_employees":50}'
expect_status 200 "and grows again"

before_audit=$(sql "SELECT MAX(id) FROM audit_log")
change "$clerk" "$hengtong" "{\"version\":1,\"term_years\":3,\"name\":\"${run}恒通妇委会\",
    \"chair_person_id\":$chair,\"note\":\"已补充主任人选\"}"
expect_status 200 "the clerk changes the returned proposal"
expect_json '[.coverage.state, .coverage_request.version, .coverage_request.stage, .coverage_request.term_years,
    .coverage_request.name, .coverage_request.chair_person_id, .coverage_request.person_name,
    .coverage_request.start_date, .coverage_request.note, .coverage_request.request.state]' \
    "[\"none\",2,\"proposed\",3,\"${run}恒通妇委会\",$chair,\"苏晓红\",\"2025-03-01\",\"已补充主任人选\",\"returned\"]" \
    "changed where the body said, kept where it did not; still returned, nothing covered"
expect_json '[.coverage_request.request.events[] | [.action, .actor, .comment]]' \
    '[["create","hunhewan-clerk",null],["submit","hunhewan-clerk","女职工50人"],
      ["return","heping-approver","请补充妇委会主任人选，任期改为3年"],["change","hunhewan-clerk","已补充主任人选"]]' \
    "the change is in the request's history"
expect_eq "$(sql "SELECT entity, action, JSON_VALUE(before_data, '\$.term_years'), JSON_VALUE(after_data, '\$.term_years')
                  FROM audit_log WHERE id > $before_audit ORDER BY id" | tr '\n' '|')" \
    "new_org_coverage_request update 5 3|workflow_request change NULL NULL|" \
    "the proposal's change and the request's event are audited"
refused 409 stale_version version "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" \
    '{"version":1,"term_years":4}'
change "$clerk" "$hengtong" '{"version":2,"name":null}'
expect_json '[.coverage_request.version, .coverage_request.name, .coverage_request.term_years]' '[3,null,3]' \
    "a member given as null is cleared (the committee takes the organisation's name)"

as "$clerk" POST "/api/v1/requests/$request/submit" "${JSON[@]}" \
    --data "{\"version\":$(request_version "$request"),\"comment\":\"已按意见修改\"}"
expect_status 200 "the clerk submits it again"
expect_json '[.state, .current_step, .steps[0].state, .events[-1].action]' '["in_progress",1,"pending","resubmit"]' \
    "it goes on at the step that returned it"
refused 409 not_editable - "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" '{"version":3,"term_years":4}'
refused 409 not_withdrawable - "$clerk" POST "/api/v1/requests/$request/withdraw" \
    "{\"version\":$(request_version "$request")}"
decide heping-approver "$request" approve
expect_json .state '"completed"' "the county approves the changed proposal"
as hunhewan-viewer GET "/api/v1/new-organisations/$hengtong"
committee=$(jq -r .coverage.committee_id <<<"$HTTP_BODY")
expect_json '[.coverage.state, .coverage_request.stage]' '["committee","approved"]' "the organisation has its committee"
expect_eq "$(sql "SELECT name, term_start, term_years FROM organisation WHERE id = $committee")" \
    "${run}恒通机械有限公司妇女委员会 2025-03-01 3" "the committee as changed: three years, the organisation's name"
expect_eq "$(sql "SELECT person_id, role FROM position WHERE organisation_id = $committee")" "$chair chair" \
    "the chair named in the change chairs it"
refused 409 not_editable - "$clerk" PATCH "/api/v1/new-organisations/$hengtong/coverage" '{"version":4,"term_years":4}'

# --- A liaison officer: a new person, then one of the roster; withdrawn, proposed anew -----------

create_new_org "$clerk" "$(new_org_body "${run}小微科技" "$township" 8)"
small=$NEW_ORG
newcomer=$(jq -cn --arg id "$(new_id_number 1992-02-02)" '{name: "钱小红", gender: "female",
    birth_date: "1992-02-02", education: "bachelor", political_status: "masses", id_number: $id}')
propose "$clerk" "$small" "{\"version\":1,\"kind\":\"liaison_officer\",\"start_date\":\"2025-01-01\",\"person\":$newcomer}"
request=$REQUEST
decide heping-approver "$request" return "联络员改由现任执委担任"
expect_json .state '"returned"' "the county returns the liaison officer"
stored() {
    sql "SELECT start_date, COALESCE(person_id, '-'), person_name, COALESCE(JSON_VALUE(person_data, '\$.id_number'), '-'), version
         FROM new_org_coverage_request WHERE request_id = $request"
}
refused 422 invalid kind "$clerk" PATCH "/api/v1/new-organisations/$small/coverage" '{"version":1,"kind":"committee"}'
refused 422 invalid term_years "$clerk" PATCH "/api/v1/new-organisations/$small/coverage" '{"version":1,"term_years":3}'
refused 422 required person_id "$clerk" PATCH "/api/v1/new-organisations/$small/coverage" \
    "{\"version\":1,\"person_id\":$chair,\"person\":$newcomer}"
refused 422 invalid person.id_number "$clerk" PATCH "/api/v1/new-organisations/$small/coverage" \
    "{\"version\":1,\"person\":$(jq -c '.id_number = "210102199202020000"' <<<"$newcomer")}"
refused 404 not_found person_id "$clerk" PATCH "/api/v1/new-organisations/$small/coverage" \
    '{"version":1,"person_id":999999999}'

change "$clerk" "$small" '{"version":1,"start_date":"2025-02-01"}'
expect_status 200 "the start date changed alone"
expect_eq "$(stored)" "2025-02-01 - 钱小红 $(jq -r .id_number <<<"$newcomer") 2" "the new person is kept"
change "$clerk" "$small" "{\"version\":2,\"person_id\":$chair}"
expect_status 200 "the liaison officer becomes a person of the roster"
expect_eq "$(stored)" "2025-02-01 $chair 苏晓红 - 3" "the new person's record is gone, the roster person named"
change "$clerk" "$small" "{\"version\":3,\"person\":$newcomer}"
expect_eq "$(stored)" "2025-02-01 - 钱小红 $(jq -r .id_number <<<"$newcomer") 4" "and back to a new person"

# Withdrawn while returned: the organisation is free for a new proposal.
refused 403 forbidden - heping-clerk POST "/api/v1/requests/$request/withdraw" "{\"version\":$(request_version "$request")}"
as "$clerk" POST "/api/v1/requests/$request/withdraw" "${JSON[@]}" \
    --data "{\"version\":$(request_version "$request"),\"comment\":\"另行提议\"}"
expect_status 200 "the clerk withdraws the returned proposal"
expect_json '[.state, [.events[].action]]' '["withdrawn",["create","submit","return","change","change","change","withdraw"]]'
as hunhewan-viewer GET "/api/v1/new-organisations/$small"
version=$(jq -r .version <<<"$HTTP_BODY")
expect_json '[.coverage.state, .coverage_request.stage, .coverage_request.request.state]' \
    '["none","withdrawn","withdrawn"]' "withdrawn: the organisation is uncovered"
refused 409 not_editable - "$clerk" PATCH "/api/v1/new-organisations/$small/coverage" '{"version":5,"start_date":"2025-03-01"}'
propose "$clerk" "$small" "{\"version\":$version,\"kind\":\"liaison_officer\",\"start_date\":\"2025-03-01\",\"person_id\":$chair}"
expect_json '[.coverage_request.stage, .coverage_request.person_id, .coverage_request.request.state,
    .coverage_request.request_id != '"$request"']' "[\"proposed\",$chair,\"in_progress\",true]" \
    "a new proposal for the same organisation"
expect_eq "$(sql "SELECT GROUP_CONCAT(stage ORDER BY id) FROM new_org_coverage_request WHERE new_org_id = $small")" \
    "withdrawn,proposed" "the withdrawn proposal stays, the new one is open"
decide heping-approver "$REQUEST" approve
expect_json .state '"completed"' "the county approves it"
as hunhewan-viewer GET "/api/v1/new-organisations/$small"
expect_json '[.coverage.state, .coverage_request.person_name]' '["liaison_officer","苏晓红"]' \
    "the organisation has its liaison officer"

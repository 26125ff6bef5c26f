#!/usr/bin/env bash
# Re-elections through the API and the workflow engine: a village plan drafted by the
# community's clerk, returned once by the township and resubmitted, approved; its result
# recorded, returned for correction once, filed with the township, and the roster rolled over.
# Every guard of a decision, each bad input of the plan and the result (refused with nothing
# written), the inbox with a batch approval, the chains of a township and of a committee, and
# the jurisdiction between the sibling counties 和平区 (210102) and 沈河区 (210103).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"

WATCHED_TABLES=(reelection reelection_candidate workflow_request workflow_request_step
    workflow_event person position organisation)

for user in shuiyuandi-clerk hunhewan-clerk hunhewan-approver hunhewan-lead heping-approver \
    heping-clerk heping-viewer shenhe-clerk shenhe-approver; do
    login "$user"
    expect_status 201 "$user logs in"
done
today=$(date -u +%F)
yesterday=$(date -u -d yesterday +%F)
tomorrow=$(date -u -d tomorrow +%F)
planned=$(date -u -d '+30 days' +%F)

village=$(sql "SELECT id FROM organisation WHERE federation_of = '210102001002'")
township=$(sql "SELECT id FROM organisation WHERE federation_of = '210102001'")
shenhe_org=$(sql "SELECT id FROM organisation WHERE federation_of = '210103'")
# A run that stopped half-way left its re-elections open: close them, one may be open at a time.
sql "UPDATE reelection SET stage = 'withdrawn' WHERE organisation_id IN ($village, $township)
     AND stage IN ('plan', 'election')"
# A province's own chains (workflow.sh sets some) would change the chains this test expects.
sql "DELETE FROM workflow_chain_step WHERE region = '21'; DELETE FROM workflow_chain WHERE region = '21'"
# The village committee is elected on the planned date: the plan should follow it.
sql "UPDATE organisation SET village_committee_election = '$planned' WHERE id = $village"
mapfile -t people < <(sql "SELECT id FROM person WHERE region = '210102001002' ORDER BY id LIMIT 8")
neighbour=$(sql "SELECT id FROM person WHERE region = '210102001003' LIMIT 1")
shenhe_person=$(sql "SELECT id FROM person WHERE region LIKE '210103%' LIMIT 1")
new_id=$(new_id_number 1988-08-08)

# plan_body [JQ]: a village plan of 7 seats with 8 candidates, 7 from the roster and one new.
plan_body() {
    jq -cn --argjson org "$village" --arg date "$planned" --arg id "$new_id" \
        --argjson p "$(printf '%s\n' "${people[@]}" | jq -s .)" "
        {organisation_id: \$org, planned_date: \$date, term_years: 5,
         seats: {chair: 1, vice_chair_full_time: 1, vice_chair_part_time: 1, executive_member: 4},
         candidates: ([{person_id: \$p[0], seat: \"chair\", in_two_committees: true},
                       {person_id: \$p[1], seat: \"vice_chair_full_time\"},
                       {person_id: \$p[2], seat: \"vice_chair_part_time\"}]
                      + [\$p[3:7][] | {person_id: ., seat: \"executive_member\"}]
                      + [{seat: \"executive_member\", person: {name: \"沈玉华\", gender: \"female\",
                          birth_date: \"1988-08-08\", education: \"senior_high\",
                          political_status: \"masses\", id_number: \$id}}])}
        | ${1:-.}"
}

# --- Bad plans: refused, nothing written --------------------------------------------------------

refused 422 invalid term_years shuiyuandi-clerk POST /api/v1/reelections "$(plan_body '.term_years = 2')"
refused 422 invalid term_years shuiyuandi-clerk POST /api/v1/reelections "$(plan_body '.term_years = 6')"
refused 422 invalid planned_date shuiyuandi-clerk POST /api/v1/reelections \
    "$(plan_body ".planned_date = \"$yesterday\"")"
refused 422 too_few_candidates candidates shuiyuandi-clerk POST /api/v1/reelections \
    "$(plan_body '.candidates |= .[0:6]')"
refused 404 not_found 'candidates[3].person_id' shuiyuandi-clerk POST /api/v1/reelections \
    "$(plan_body ".candidates[3].person_id = $shenhe_person")"
refused 404 not_found 'candidates[3].person_id' hunhewan-clerk POST /api/v1/reelections \
    "$(plan_body ".candidates[3].person_id = $neighbour")"
expect_json .error.message "\"no cadre $neighbour on the roll in the organisation's region 210102001002\"" \
    "a cadre of another village of the township is not a candidate of this one"
refused 404 not_found 'candidates[3].person_id' shuiyuandi-clerk POST /api/v1/reelections \
    "$(plan_body '.candidates[3].person_id = 999999999')"
refused 404 not_found organisation_id shuiyuandi-clerk POST /api/v1/reelections \
    "$(plan_body ".organisation_id = $shenhe_org")"
refused 404 not_found organisation_id heping-clerk POST /api/v1/reelections \
    "$(plan_body ".organisation_id = $shenhe_org")"
refused 404 not_found organisation_id shuiyuandi-clerk POST /api/v1/reelections \
    "$(plan_body ".organisation_id = $township")"
refused 422 duplicate 'candidates[4]' shuiyuandi-clerk POST /api/v1/reelections \
    "$(plan_body '.candidates[4].person_id = .candidates[3].person_id')"
refused 422 invalid 'candidates[7].person.id_number' shuiyuandi-clerk POST /api/v1/reelections \
    "$(plan_body '.candidates[7].person.id_number = "210102198808089999"')"
refused 422 required 'candidates[0].person_id' shuiyuandi-clerk POST /api/v1/reelections \
    "$(plan_body '.candidates[0].person = {name: "x"}')"
refused 422 invalid 'candidates[1].seat' shuiyuandi-clerk POST /api/v1/reelections \
    "$(plan_body '.candidates[1].seat = "president"')"
refused 422 invalid seats.chair shuiyuandi-clerk POST /api/v1/reelections "$(plan_body '.seats.chair = 2')"
refused 422 required seats shuiyuandi-clerk POST /api/v1/reelections "$(plan_body 'del(.seats)')"
refused 403 forbidden - heping-viewer POST /api/v1/reelections "$(plan_body)"

# --- A plan drafted, changed, submitted -----------------------------------------------------------

as shuiyuandi-clerk POST /api/v1/reelections "${JSON[@]}" --data "$(plan_body \
    '.candidates[0].in_two_committees = false | .planned_date = "'"$(date -u -d '+31 days' +%F)"'"')"
expect_status 201 "the community's clerk drafts a plan"
plan=$(jq -r .id <<<"$HTTP_BODY")
request=$(jq -r .plan_request.id <<<"$HTTP_BODY")
expect_header Location "^/api/v1/reelections/$plan\$"
expect_json '[.stage, .organisation_id, .term_years, .seats.executive_member, (.candidates | length),
    .candidates[7].person_id, .candidates[7].person.name, .plan_request.state, .result_request]' \
    "[\"plan\",$village,5,4,8,null,\"沈玉华\",\"draft\",null]" "the draft holds the plan and a draft request"
expect_json '[.warnings[].code]' '["not_with_village_committee","chair_not_in_two_committees"]' \
    "warnings: another date than the village committee's, a chair not on the two committees"
expect_json '.warnings[1].field' '"candidates[0].in_two_committees"'
expect_eq "$(sql "SELECT action FROM audit_log WHERE (entity = 'reelection' AND entity_id = '$plan')
                  OR (entity = 'workflow_request' AND entity_id = '$request') ORDER BY id" | tr '\n' ' ')" \
    "create create " "the plan and its request are in the audit log"
refused 409 open_reelection organisation_id hunhewan-clerk POST /api/v1/reelections "$(plan_body)"

as shenhe-clerk GET "/api/v1/reelections/$plan"
expect_error 404 not_found
as shenhe-clerk GET "/api/v1/requests/$request"
expect_error 404 not_found
as heping-viewer GET "/api/v1/reelections/$plan"
expect_status 200 "a viewer of the county reads the plan"
expect_json '.candidates[7].person.id_number' "\"${new_id:0:6}********${new_id:14:4}\"" \
    "a viewer sees a new candidate's ID number masked"

refused 409 stale_version version shuiyuandi-clerk PATCH "/api/v1/reelections/$plan" \
    '{"version":7,"term_years":4}'
refused 422 invalid term_years shuiyuandi-clerk PATCH "/api/v1/reelections/$plan" '{"version":1,"term_years":6}'
refused 422 invalid planned_date shuiyuandi-clerk PATCH "/api/v1/reelections/$plan" \
    "{\"version\":1,\"planned_date\":\"$yesterday\"}"
refused 422 too_few_candidates candidates shuiyuandi-clerk PATCH "/api/v1/reelections/$plan" \
    '{"version":1,"seats":{"chair":1,"executive_member":9}}'
refused 404 not_found id shenhe-clerk PATCH "/api/v1/reelections/$plan" '{"version":1,"term_years":4}'
as shuiyuandi-clerk PATCH "/api/v1/reelections/$plan" "${JSON[@]}" \
    --data "$(plan_body '{version: 1, planned_date, candidates}')"
expect_status 200 "the clerk changes her draft"
expect_json '[.version, .planned_date, .warnings]' "[2,\"$planned\",[]]" "the changed plan has no warnings"

refused 403 forbidden - hunhewan-clerk POST "/api/v1/requests/$request/submit" '{"version":1}'
refused 409 stale_version version shuiyuandi-clerk POST "/api/v1/requests/$request/submit" '{"version":9}'
as shuiyuandi-clerk POST "/api/v1/requests/$request/submit" "${JSON[@]}" --data '{"version":1}'
expect_status 200 "the clerk submits the plan"
expect_json '[.state, .current_step, .version, (.steps | map([.seq, .region, .level, .role, .mode, .state]))]' \
    '["in_progress",1,2,[[1,"210102001","township","approver","approve","pending"]]]' \
    "the request copied the village chain: approval by the township"
refused 409 not_editable - shuiyuandi-clerk PATCH "/api/v1/reelections/$plan" '{"version":2,"term_years":4}'

# --- Guards of a decision -------------------------------------------------------------------------

as hunhewan-approver GET /api/v1/inbox
expect_status 200
expect_json "[.items[] | select(.id == $request) | [.kind, .step, .mode, .organisation_id, .version]]" \
    "[[\"reelection_plan\",1,\"approve\",$village,2]]" "the township's approver finds the plan in her inbox"
expect_json ".items[] | select(.id == $request) | .waiting_seconds >= 0" true "... with how long it has waited"
as heping-approver GET /api/v1/inbox
expect_json "[.items[] | select(.id == $request)] | length" 0 "the county's approver does not: the step is not hers"
as shenhe-approver GET /api/v1/inbox
expect_json '.items' '[]' "nor does the approver of the sibling county"
refused 404 not_found id shenhe-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"approve"}'

refused 403 not_your_step step heping-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"approve"}'
refused 403 not_your_step step hunhewan-clerk POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"approve"}'
refused 404 not_found id shenhe-clerk POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"approve"}'
refused 409 not_current_step step hunhewan-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":2,"action":"approve"}'
refused 409 stale_version version hunhewan-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":1,"step":1,"action":"approve"}'
refused 422 required comment hunhewan-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"reject"}'
refused 422 required comment hunhewan-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"return"}'
refused 422 invalid action hunhewan-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"acknowledge"}'
refused 422 invalid return_to hunhewan-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"return","return_to":1,"comment":"x"}'
refused 422 invalid action hunhewan-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"sign"}'

# --- Returned, changed, resubmitted, approved ------------------------------------------------------

as hunhewan-approver POST "/api/v1/requests/$request/decisions" "${JSON[@]}" \
    --data '{"version":2,"step":1,"action":"return","comment":"请补充候选人简历"}'
expect_status 200 "the township returns the plan to its originator"
expect_json '[.state, .current_step, .steps[0].state, .steps[0].decided_by, .steps[0].comment]' \
    '["returned",1,"returned","hunhewan-approver","请补充候选人简历"]'
# Returned, the plan could be withdrawn (below, the township's), but only by its own office.
refused 403 forbidden - hunhewan-clerk POST "/api/v1/requests/$request/withdraw" '{"version":3}'
as hunhewan-approver GET /api/v1/inbox
expect_json "[.items[] | select(.id == $request)] | length" 0 "a returned plan leaves the approver's inbox"
as shuiyuandi-clerk PATCH "/api/v1/reelections/$plan" "${JSON[@]}" --data '{"version":2,"note":"已补充简历"}'
expect_status 200 "the returned plan is changed"
as shuiyuandi-clerk POST "/api/v1/requests/$request/submit" "${JSON[@]}" --data '{"version":3}'
expect_status 200 "and resubmitted"
expect_json '[.state, .current_step, .steps[0].state]' '["in_progress",1,"pending"]' \
    "it goes on at the step that returned it"
refused 409 not_withdrawable - shuiyuandi-clerk POST "/api/v1/requests/$request/withdraw" '{"version":4}'
expect_json .error.message '"a request is withdrawn only before the first decision on it, or while it is returned to its office"' \
    "decided once and in progress again, the plan is the deciders'"
as hunhewan-approver POST "/api/v1/requests/$request/decisions" "${JSON[@]}" \
    --data '{"version":4,"step":1,"action":"approve","comment":"同意"}'
expect_status 200 "the township approves the plan"
expect_json '[.state, .steps[0].state, .finished_at != null]' '["completed","approved",true]'
refused 409 not_current_step step hunhewan-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":5,"step":1,"action":"approve"}'
as heping-viewer GET "/api/v1/requests/$request"
expect_status 200 "the history is read on the request"
expect_json '[.events[] | [.action, .actor, .step, .comment]]' \
    '[["create","shuiyuandi-clerk",null,null],["submit","shuiyuandi-clerk",1,null],
      ["return","hunhewan-approver",1,"请补充候选人简历"],["resubmit","shuiyuandi-clerk",1,null],
      ["approve","hunhewan-approver",1,"同意"]]' "every action with its actor, step and comment"
expect_json '.events[2] | [.to_step, .actor_region]' '[0,"210102001"]'
expect_eq "$(sql "SELECT GROUP_CONCAT(action ORDER BY id) FROM audit_log
                  WHERE entity = 'workflow_request' AND entity_id = '$request'")" \
    "create,submit,return,resubmit,approve" "every action is in the audit log too"
as shuiyuandi-clerk GET "/api/v1/reelections/$plan"
expect_json '[.stage, .version, .plan_request.state]' '["election",4,"completed"]' \
    "the approved plan's election is to be held"

# --- The result -----------------------------------------------------------------------------------

candidate() { jq -r ".candidates[$1].id" <<<"$HTTP_BODY"; }
chair=$(candidate 0)
newcomer=$(candidate 7)
other_plan_candidate=$(sql "SELECT MAX(id) + 1 FROM reelection_candidate")
result_body() {
    jq -cn --argjson c "$(jq '[.candidates[].id]' <<<"$HTTP_BODY")" --arg date "$today" "
        {version: 4, election_date: \$date,
         elected: [{candidate_id: \$c[0], seat: \"chair\", votes: 120},
                   {candidate_id: \$c[1], seat: \"vice_chair_full_time\", votes: 110},
                   {candidate_id: \$c[2], seat: \"vice_chair_part_time\", votes: 100},
                   {candidate_id: \$c[3], seat: \"executive_member\", votes: 90},
                   {candidate_id: \$c[7], seat: \"executive_member\", votes: 88}]}
        | ${1:-.}"
}
good_result=$(result_body)
refused 422 not_a_candidate 'elected[1].person_id' shuiyuandi-clerk PUT "/api/v1/reelections/$plan/result" \
    "$(jq -c ".elected[1] = {person_id: $neighbour, seat: \"vice_chair_full_time\", votes: 3}" <<<"$good_result")"
refused 422 not_a_candidate 'elected[4].candidate_id' shuiyuandi-clerk PUT "/api/v1/reelections/$plan/result" \
    "$(jq -c ".elected[4].candidate_id = $other_plan_candidate" <<<"$good_result")"
refused 422 duplicate 'elected[4].candidate_id' shuiyuandi-clerk PUT "/api/v1/reelections/$plan/result" \
    "$(jq -c '.elected[4].candidate_id = .elected[3].candidate_id' <<<"$good_result")"
refused 422 too_many_elected elected shuiyuandi-clerk PUT "/api/v1/reelections/$plan/result" \
    "$(jq -c '.elected[3].seat = "vice_chair_part_time"' <<<"$good_result")"
refused 422 invalid election_date shuiyuandi-clerk PUT "/api/v1/reelections/$plan/result" \
    "$(jq -c --arg d "$tomorrow" '.election_date = $d' <<<"$good_result")"
refused 409 stale_version version shuiyuandi-clerk PUT "/api/v1/reelections/$plan/result" \
    "$(jq -c '.version = 3' <<<"$good_result")"
refused 404 not_found id shenhe-clerk PUT "/api/v1/reelections/$plan/result" "$good_result"

as shuiyuandi-clerk PUT "/api/v1/reelections/$plan/result" "${JSON[@]}" \
    --data "$(jq -c '.elected[3].votes = 9' <<<"$good_result")"
expect_status 200 "the clerk records the result"
result=$(jq -r .result_request.id <<<"$HTTP_BODY")
expect_json '[.election_date, .version, .result_request.state, ([.candidates[] | select(.elected_seat) | .votes])]' \
    "[\"$today\",5,\"draft\",[120,110,100,9,88]]" "the result is kept, its request a draft"
as shuiyuandi-clerk POST "/api/v1/requests/$result/submit" "${JSON[@]}" --data '{"version":1}'
expect_status 200 "the result is submitted"
expect_json '.steps | map([.region, .mode])' '[["210102001","file"]]' "a village's result is filed with the township"
refused 409 not_editable - shuiyuandi-clerk PUT "/api/v1/reelections/$plan/result" "$(jq -c '.version = 5' <<<"$good_result")"
refused 422 invalid action hunhewan-approver POST "/api/v1/requests/$result/decisions" \
    '{"version":2,"step":1,"action":"reject","comment":"不行"}'
expect_json .error.message '"action: a filing (备案) is acknowledged or returned for correction, never approved or rejected"'
as hunhewan-approver POST "/api/v1/requests/$result/decisions" "${JSON[@]}" \
    --data '{"version":2,"step":1,"action":"return","comment":"票数有误"}'
expect_status 200 "the township asks for a correction of the result"
as shuiyuandi-clerk PUT "/api/v1/reelections/$plan/result" "${JSON[@]}" \
    --data "$(jq -c '.version = 5' <<<"$good_result")"
expect_status 200 "the result is corrected"
expect_json '.result_request.id' "$result" "in the same request"
as shuiyuandi-clerk POST "/api/v1/requests/$result/submit" "${JSON[@]}" --data '{"version":3}'
expect_status 200 "and resubmitted"

old_chair=$(sql "SELECT id FROM position WHERE organisation_id = $village AND end_date IS NULL AND role = 'chair'")
old_positions=$(sql "SELECT GROUP_CONCAT(id) FROM position WHERE organisation_id = $village AND end_date IS NULL")
old_current=$(sql "SELECT COUNT(*) FROM position WHERE organisation_id = $village AND end_date IS NULL")
before_audit=$(sql "SELECT MAX(id) FROM audit_log")
as hunhewan-approver POST "/api/v1/requests/$result/decisions" "${JSON[@]}" \
    --data '{"version":4,"step":1,"action":"acknowledge","comment":"已备案"}'
expect_status 200 "the township takes the filing"
expect_json .state '"completed"'
expect_same_as_get hunhewan-approver "/api/v1/requests/$result" \
    "the acknowledgement answers the request exactly as it then reads"
expect_eq "$(sql "SELECT stage FROM reelection WHERE id = $plan")" done "the re-election is done"
expect_eq "$(sql "SELECT term_start, term_years, village_committee_election IS NULL, next_due
                  FROM organisation WHERE id = $village")" \
    "$today 5 1 $(date -u -d "$today +5 years" +%F)" "the organisation's new term and next due date"
expect_eq "$(sql "SELECT COUNT(*) FROM position WHERE id IN ($old_positions) AND end_date = '$today'")" \
    "$old_current" "every position of the old term ended on the election date"
expect_eq "$(sql "SELECT GROUP_CONCAT(CONCAT(role, IF(full_time, '+', ''), ':', term_start) ORDER BY id)
                  FROM position WHERE organisation_id = $village AND end_date IS NULL")" \
    "chair:$today,vice_chair+:$today,vice_chair:$today,executive_member:$today,executive_member:$today" \
    "the elected hold the seats of the new term"
expect_eq "$(sql "SELECT succeeds_id FROM position WHERE organisation_id = $village AND end_date IS NULL
                  AND role = 'chair'")" "${old_chair:-NULL}" "the new chair succeeds the old (if another test left one)"
expect_eq "$(sql "SELECT p.region, p.name FROM person p JOIN position s ON s.person_id = p.id
                  WHERE s.organisation_id = $village AND s.end_date IS NULL AND p.id_number = '$new_id'")" \
    "210102001002 沈玉华" "the new candidate elected is on the roll of the community"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE id > $before_audit AND entity = 'position'
                  AND region = '210102001002' AND actor = 'hunhewan-approver'")" "$((old_current + 5))" \
    "every position ended and started is audited, with the decision's actor"

as heping-viewer GET "/api/v1/reelections?organisation_id=$village"
expect_json '.items[0] | [.id, .stage, .plan_state, .result_state, .election_date]' \
    "[$plan,\"done\",\"completed\",\"completed\",\"$today\"]" "the county lists the organisation's re-elections"
as heping-viewer GET '/api/v1/reelections?under=210102001002&stage=done&limit=1'
expect_json '[.items[].region] | unique' '["210102001002"]' "by region and stage"
as shenhe-clerk GET "/api/v1/reelections?organisation_id=$village"
expect_json .items '[]' "the sibling county lists none of them"
as heping-viewer GET '/api/v1/reelections?stage=finished'
expect_error 400 invalid_parameter

# --- Withdrawal, the chains of a township and a committee, the inbox's batch ----------------------

township_plan() {
    mapfile -t tp < <(sql "SELECT id FROM person WHERE region LIKE '210102001%' ORDER BY id LIMIT 2")
    jq -cn --argjson org "$1" --arg date "$planned" --argjson a "${tp[0]}" --argjson b "${tp[1]}" \
        '{organisation_id: $org, planned_date: $date, term_years: 4, seats: {chair: 1},
          candidates: [{person_id: $a, seat: "chair"}, {person_id: $b, seat: "chair"}]}'
}
as hunhewan-clerk POST /api/v1/reelections "${JSON[@]}" --data "$(township_plan "$township")"
expect_status 201 "the township's clerk drafts the township's plan"
tplan=$(jq -r .id <<<"$HTTP_BODY")
trequest=$(jq -r .plan_request.id <<<"$HTTP_BODY")
as hunhewan-clerk POST "/api/v1/requests/$trequest/submit" "${JSON[@]}" --data '{"version":1}'
expect_json '.steps | map([.region, .level])' '[["210102","county"]]' "a township's plan goes to the county"
refused 403 forbidden - heping-clerk POST "/api/v1/requests/$trequest/withdraw" '{"version":2}'
refused 404 not_found id shuiyuandi-clerk POST "/api/v1/requests/$trequest/withdraw" '{"version":2}'
as hunhewan-clerk POST "/api/v1/requests/$trequest/withdraw" "${JSON[@]}" --data '{"version":2}'
expect_status 200 "the originator withdraws before the first decision"
expect_json .state '"withdrawn"'
expect_eq "$(sql "SELECT stage FROM reelection WHERE id = $tplan")" withdrawn "the plan is withdrawn with it"
# A plan the county returns may be withdrawn by its office instead of changed; the organisation
# is free for another plan.
as hunhewan-clerk POST /api/v1/reelections "${JSON[@]}" --data "$(township_plan "$township")"
expect_status 201 "the township's clerk drafts another plan"
tplan=$(jq -r .id <<<"$HTTP_BODY")
trequest=$(jq -r .plan_request.id <<<"$HTTP_BODY")
as hunhewan-clerk POST "/api/v1/requests/$trequest/submit" "${JSON[@]}" --data '{"version":1}'
as heping-approver POST "/api/v1/requests/$trequest/decisions" "${JSON[@]}" \
    --data '{"version":2,"step":1,"action":"return","comment":"日期待定"}'
expect_json .state '"returned"' "the county returns it"
refused 409 stale_version version hunhewan-clerk POST "/api/v1/requests/$trequest/withdraw" '{"version":2}'
refused 403 forbidden - heping-clerk POST "/api/v1/requests/$trequest/withdraw" '{"version":3}'
as hunhewan-clerk POST "/api/v1/requests/$trequest/withdraw" "${JSON[@]}" --data '{"version":3,"comment":"改期另报"}'
expect_status 200 "the originator withdraws the returned plan"
expect_json '[.state, .finished_at != null, [.events[].action], .events[-1].comment]' \
    '["withdrawn",true,["create","submit","return","withdraw"],"改期另报"]'
expect_eq "$(sql "SELECT stage FROM reelection WHERE id = $tplan")" withdrawn "the returned plan is withdrawn with it"
expect_eq "$(sql "SELECT action FROM audit_log WHERE entity = 'reelection' AND entity_id = '$tplan' ORDER BY id DESC LIMIT 1")" \
    plan_withdrawn "... and audited"

# hunhewan-lead is a clerk and an approver of the township: she drafts one committee's plan.
committees=()
for n in 1 2; do
    org=$(make_org 210102001 4 "浑河湾街道换届测试妇委会$n" 2021-03-01)
    clerk=hunhewan-clerk
    ((n == 1)) && clerk=hunhewan-lead
    as "$clerk" POST /api/v1/reelections "${JSON[@]}" --data "$(township_plan "$org")"
    r=$(jq -r .plan_request.id <<<"$HTTP_BODY")
    as "$clerk" POST "/api/v1/requests/$r/submit" "${JSON[@]}" --data '{"version":1}'
    expect_json '.steps | map([.region, .level, .mode])' '[["210102001","township","approve"]]' \
        "a committee's plan goes to the federation where it is registered"
    committees+=("$r")
done
as hunhewan-lead GET /api/v1/inbox
expect_json "[.items[] | .id] | (index(${committees[0]}) == null) and (index(${committees[1]}) != null)" true \
    "an approver finds the requests of others in her inbox, not her own"
refused 403 own_request step hunhewan-lead POST "/api/v1/requests/${committees[0]}/decisions" \
    '{"version":2,"step":1,"action":"approve"}'
as hunhewan-approver GET '/api/v1/inbox?limit=1'
expect_json '.items | length' 1 "the inbox pages"
cursor=$(jq -r .next_cursor <<<"$HTTP_BODY")
as hunhewan-approver GET "/api/v1/inbox?limit=1&cursor=$cursor"
expect_json ".items[0].id > $cursor" true "the next page goes on after the first"
as hunhewan-approver POST /api/v1/inbox/approve "${JSON[@]}" \
    --data "{\"items\":[{\"id\":${committees[0]},\"step\":1,\"version\":2},{\"id\":${committees[1]},\"step\":1,\"version\":1}],\"comment\":\"同意\"}"
expect_status 200 "the approver approves several at once"
expect_json '[.results[] | [.status, .error.code]]' '[[200,null],[409,"stale_version"]]' \
    "each in its own transaction: one approved, the stale one refused"
as hunhewan-approver GET "/api/v1/requests/${committees[0]}"
expect_json .state '"completed"'

as shuiyuandi-clerk GET /api/v1/workflow/chains
expect_status 200
expect_json '[.items[] | select(.kind == "reelection_plan" and .org_class == "federation" and .org_level == "village") | .steps]' \
    '[[{"seq":1,"up":1,"role":"approver","mode":"approve"}]]' "the default chain of a village plan"

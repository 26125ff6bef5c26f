#!/usr/bin/env bash
# The workflow engine beside re-election's own walk (elections.sh): a province's own chain set
# by its admin, which wins over the default without changing a request under way; a return to
# an earlier step; comments, copies (抄送), urging (催办, once a day), transfer of a step to
# another approver; the caller's lists; and two approvers deciding the same step at once.
# The requests are women's committees' plans of 浑河湾街道 (210102001).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"

WATCHED_TABLES=(workflow_chain workflow_chain_step workflow_request workflow_request_step
    workflow_event workflow_copy reelection)

for user in liaoning-admin heping-admin hunhewan-clerk hunhewan-approver hunhewan-lead \
    heping-approver heping-viewer shenhe-clerk shenhe-viewer; do
    login "$user"
    expect_status 201 "$user logs in"
done
planned=$(date -u -d '+60 days' +%F)
# The province's own chains of an earlier run would change what this run expects.
drop_province_chains() {
    sql "DELETE FROM workflow_chain_step WHERE region = '21'; DELETE FROM workflow_chain WHERE region = '21'"
}
drop_province_chains
trap 'rc=$?; drop_province_chains; (exit $rc); test_finish' EXIT

# committee_plan N: a new women's committee of the township with a draft plan by hunhewan-clerk;
# sets PLAN and REQUEST.
committee_plan() {
    local org
    org=$(make_org 210102001 4 "浑河湾街道流程测试妇委会$1" 2021-06-01)
    mapfile -t two < <(sql "SELECT id FROM person WHERE region LIKE '210102001%' ORDER BY id LIMIT 2")
    as hunhewan-clerk POST /api/v1/reelections "${JSON[@]}" --data "$(jq -cn --argjson org "$org" \
        --arg date "$planned" --argjson a "${two[0]}" --argjson b "${two[1]}" \
        '{organisation_id: $org, planned_date: $date, term_years: 3, seats: {chair: 1},
          candidates: [{person_id: $a, seat: "chair"}, {person_id: $b, seat: "chair"}]}')"
    expect_status 201 "committee $1 has a draft plan"
    PLAN=$(jq -r .id <<<"$HTTP_BODY")
    REQUEST=$(jq -r .plan_request.id <<<"$HTTP_BODY")
}
submit() {
    as hunhewan-clerk POST "/api/v1/requests/$1/submit" "${JSON[@]}" --data '{"version":1}'
    expect_status 200 "request $1 is submitted"
}
decide() { # USER REQUEST BODY
    as "$1" POST "/api/v1/requests/$2/decisions" "${JSON[@]}" --data "$3"
}

# --- A province's own chain -----------------------------------------------------------------------

two_steps='{"kind":"reelection_plan","org_class":"committee","org_level":"township",
    "steps":[{"up":0,"role":"approver","mode":"approve"},{"up":1,"role":"approver","mode":"approve"}]}'
refused 403 forbidden - heping-admin PUT /api/v1/workflow/chains "$two_steps"
refused 403 forbidden - hunhewan-clerk PUT /api/v1/workflow/chains "$two_steps"
refused 422 invalid 'steps[1].up' liaoning-admin PUT /api/v1/workflow/chains \
    "$(jq -c '.steps[1].up = 4' <<<"$two_steps")"
refused 422 invalid 'steps[0].mode' liaoning-admin PUT /api/v1/workflow/chains \
    "$(jq -c '.steps[0].mode = "sign"' <<<"$two_steps")"
refused 422 invalid org_level liaoning-admin PUT /api/v1/workflow/chains \
    "$(jq -c '.org_level = "village"' <<<"$two_steps")"
refused 422 invalid steps liaoning-admin PUT /api/v1/workflow/chains "$(jq -c '.steps = []' <<<"$two_steps")"
as liaoning-admin PUT /api/v1/workflow/chains "${JSON[@]}" --data "$two_steps"
expect_status 200 "the province's admin sets a chain of two steps for committees of townships"
expect_json '[.items[] | select(.region == "21") | [.kind, .org_class, .org_level, .version, (.steps | map(.up))]]' \
    '[["reelection_plan","committee","township",1,[0,1]]]'
expect_eq "$(sql "SELECT action, region FROM audit_log WHERE entity = 'workflow_chain' ORDER BY id DESC LIMIT 1")" \
    "create 21" "the chain is in the audit log"
refused 409 stale_version version liaoning-admin PUT /api/v1/workflow/chains "$two_steps"
as hunhewan-clerk GET /api/v1/workflow/chains
expect_json '[.items[] | select(.org_class == "committee" and .org_level == "township" and .kind == "reelection_plan") | .region]' \
    '["","21"]' "a township sees the default and its province's chain"

committee_plan A
a=$REQUEST
submit "$a"
expect_json '.steps | map([.seq, .region, .level, .state])' \
    '[[1,"210102001","township","pending"],[2,"210102","county","waiting"]]' "the province's chain wins over the default"
as liaoning-admin PUT /api/v1/workflow/chains "${JSON[@]}" \
    --data "$(jq -c '.version = 1 | .steps |= .[0:1]' <<<"$two_steps")"
expect_status 200 "the admin shortens the chain"
as hunhewan-clerk GET "/api/v1/requests/$a"
expect_json '.step_count' 2 "the request under way keeps the steps it copied"
committee_plan B
b=$REQUEST
submit "$b"
expect_json '.steps | length' 1 "a request submitted afterwards copies the new chain"

# --- A return to an earlier step --------------------------------------------------------------------

decide hunhewan-approver "$a" '{"version":2,"step":1,"action":"approve"}'
expect_json '[.current_step, .steps[0].state, .steps[1].state]' '[2,"approved","pending"]' \
    "the township approves: the county's step waits"
expect_same_as_get hunhewan-approver "/api/v1/requests/$a" \
    "the approval answers the request exactly as it then reads"
refused 422 invalid return_to heping-approver POST "/api/v1/requests/$a/decisions" \
    '{"version":3,"step":2,"action":"return","return_to":2,"comment":"x"}'
decide heping-approver "$a" '{"version":3,"step":2,"action":"return","return_to":1,"comment":"请街道再审"}'
expect_status 200 "the county returns the plan to the township's step"
expect_json '[.state, .current_step, .steps[0].state, .steps[0].decided_by, .steps[1].state]' \
    '["in_progress",1,"pending",null,"waiting"]' "the township decides again, the county waits"
decide hunhewan-approver "$a" '{"version":4,"step":1,"action":"approve"}'
decide heping-approver "$a" '{"version":5,"step":2,"action":"approve","comment":"同意"}'
expect_json '[.state, .steps[0].decided_by, .steps[1].decided_by, .steps[1].comment]' \
    '["completed","hunhewan-approver","heping-approver","同意"]' "and then the county approves"
expect_same_as_get heping-approver "/api/v1/requests/$a" \
    "the last approval answers the completed request exactly as it then reads"
expect_json '[.events[] | [.action, .step, .to_step]]' \
    '[["create",null,null],["submit",1,null],["approve",1,null],["return",2,1],["approve",1,null],["approve",2,null]]'

# --- Comments, copies, urging -----------------------------------------------------------------------

as heping-viewer POST "/api/v1/requests/$b/comments" "${JSON[@]}" --data '{"comment":"请注意候选人年龄结构"}'
expect_status 201 "a viewer of the county comments"
expect_json '.events[-1] | [.action, .actor, .comment]' '["comment","heping-viewer","请注意候选人年龄结构"]'
expect_json .version 2 "a comment leaves the version alone"
refused 422 required comment heping-viewer POST "/api/v1/requests/$b/comments" '{"comment":" "}'
refused 404 not_found id shenhe-clerk POST "/api/v1/requests/$b/comments" '{"comment":"x"}'

as hunhewan-clerk POST "/api/v1/requests/$b/copies" "${JSON[@]}" --data '{"to_user":"heping-viewer"}'
expect_status 201 "the clerk copies the plan to the county's viewer"
expect_json '.events[-1] | [.action, .to_user]' '["copy","heping-viewer"]'
refused 409 duplicate to_user hunhewan-clerk POST "/api/v1/requests/$b/copies" '{"to_user":"heping-viewer"}'
refused 422 outside_jurisdiction to_user hunhewan-clerk POST "/api/v1/requests/$b/copies" '{"to_user":"shenhe-viewer"}'
refused 422 unknown_user to_user hunhewan-clerk POST "/api/v1/requests/$b/copies" '{"to_user":"nobody-here"}'
as heping-viewer GET '/api/v1/requests?list=copied'
expect_json "[.items[] | select(.id == $b) | .state]" '["in_progress"]' "she finds it among the requests copied to her"
as shenhe-viewer GET '/api/v1/requests?list=copied'
expect_json .items '[]'
as hunhewan-clerk GET '/api/v1/requests?list=submitted&limit=200'
expect_json "[.items[] | .id] | (index($a) != null) and (index($b) != null)" true "the clerk's submissions"
as hunhewan-clerk GET '/api/v1/requests?list=mine'
expect_error 400 invalid_parameter

as hunhewan-clerk POST "/api/v1/requests/$b/urge" "${JSON[@]}" --data '{"comment":"换届日期临近"}'
expect_status 200 "the clerk urges the waiting step"
expect_json '[.urged_at != null, .version, .events[-1].action]' '[true,2,"urge"]'
refused 409 urged_recently - hunhewan-clerk POST "/api/v1/requests/$b/urge" '{}'
refused 403 forbidden - hunhewan-approver POST "/api/v1/requests/$b/urge" '{}'
refused 409 not_pending - hunhewan-clerk POST "/api/v1/requests/$a/urge" '{}'
sql "UPDATE workflow_request SET urged_at = NOW(3) - INTERVAL 25 HOUR WHERE id = $b"
as hunhewan-clerk POST "/api/v1/requests/$b/urge" "${JSON[@]}" --data '{}'
expect_status 200 "a day later it may be urged again"
as hunhewan-approver GET /api/v1/inbox
expect_json "[.items[] | select(.id == $b) | .urged_at != null]" '[true]' "the inbox shows the urging"

# --- Transfer --------------------------------------------------------------------------------------

refused 422 not_eligible to_user hunhewan-approver POST "/api/v1/requests/$b/transfer" \
    '{"version":2,"step":1,"to_user":"heping-approver"}'
refused 422 not_eligible to_user hunhewan-approver POST "/api/v1/requests/$b/transfer" \
    '{"version":2,"step":1,"to_user":"hunhewan-clerk"}'
refused 422 unknown_user to_user hunhewan-approver POST "/api/v1/requests/$b/transfer" \
    '{"version":2,"step":1,"to_user":"nobody-here"}'
refused 409 stale_version version hunhewan-approver POST "/api/v1/requests/$b/transfer" \
    '{"version":1,"step":1,"to_user":"hunhewan-lead"}'
refused 403 not_your_step step heping-approver POST "/api/v1/requests/$b/transfer" \
    '{"version":2,"step":1,"to_user":"hunhewan-lead"}'
as hunhewan-approver POST "/api/v1/requests/$b/transfer" "${JSON[@]}" \
    --data '{"version":2,"step":1,"to_user":"hunhewan-lead","comment":"请韩丽萍审核"}'
expect_status 200 "the approver hands the step to another approver of the township"
expect_json '[.assignee, .version, .events[-1].action, .events[-1].to_user]' \
    '["hunhewan-lead",3,"transfer","hunhewan-lead"]'
as hunhewan-approver GET /api/v1/inbox
expect_json "[.items[] | select(.id == $b)] | length" 0 "it leaves her inbox"
as hunhewan-lead GET /api/v1/inbox
expect_json "[.items[] | select(.id == $b)] | length" 1 "and is in her colleague's"
refused 403 not_your_step step hunhewan-approver POST "/api/v1/requests/$b/decisions" \
    '{"version":3,"step":1,"action":"approve"}'
decide hunhewan-lead "$b" '{"version":3,"step":1,"action":"approve"}'
expect_status 200 "the colleague approves"
expect_json .state '"completed"'

# --- Nobody decides a step of a request she submitted -------------------------------------------------

committee_plan D
d=$REQUEST
as hunhewan-lead POST "/api/v1/requests/$d/submit" "${JSON[@]}" --data '{"version":1}'
expect_status 200 "a colleague of the same office submits the clerk's draft"
as hunhewan-lead GET /api/v1/inbox
expect_json "[.items[] | select(.id == $d)] | length" 0 "what she submitted is not in her inbox"
refused 403 own_request step hunhewan-lead POST "/api/v1/requests/$d/decisions" \
    '{"version":2,"step":1,"action":"approve"}'
decide hunhewan-approver "$d" '{"version":2,"step":1,"action":"reject","comment":"候选人不足"}'
expect_status 200 "another approver rejects it"
expect_json '[.state, .steps[0].state]' '["rejected","rejected"]'
as hunhewan-clerk GET "/api/v1/reelections/$PLAN"
expect_json .stage '"rejected"' "a rejected plan ends its re-election"
refused 409 not_editable - hunhewan-clerk POST "/api/v1/requests/$d/submit" '{"version":3}'

# --- Two approvers decide the same step at once -------------------------------------------------------

committee_plan C
c=$REQUEST
submit "$c"
before=$(sql "SELECT COUNT(*) FROM workflow_event WHERE request_id = $c")
for user in hunhewan-approver hunhewan-lead; do
    curl -sS -o "$TEST_TMP/race-$user" -w '%{http_code}\n' -X POST -b "$(jar "$user")" \
        -H 'X-Requested-With: XMLHttpRequest' "${JSON[@]}" \
        --data '{"version":2,"step":1,"action":"approve"}' \
        "$BASE_URL/api/v1/requests/$c/decisions" >"$TEST_TMP/race-$user.status" &
done
wait
expect_eq "$(cat "$TEST_TMP"/race-*.status | sort | tr '\n' ' ')" "200 409 " \
    "two approvers at once: exactly one wins, the other gets 409"
expect_eq "$(sql "SELECT COUNT(*) FROM workflow_event WHERE request_id = $c")" "$((before + 1))" \
    "one decision is recorded"
expect_eq "$(waiting_kept_differs)" 0 "the waiting steps kept per county and day equal a recount"

#!/usr/bin/env bash
# New economic and social organisations through the API: registering, reading, changing and
# listing them; the recommendation the rules give and a township's work list; proposing a
# committee or a liaison officer through the chain engine and deciding it; every refusal of bad
# input leaving the database as it was.
# Then links, visits and the due lists, and the statistics. The sibling-county tests are in jurisdiction.sh.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"
source "$(dirname "$0")/new_org_helpers.bash"

# The registry's refusals could write only these; the roster's tables join from the coverage
# section on (right after a regeneration their checksums can move while MariaDB purges).
WATCHED_TABLES=(new_org new_org_link new_org_visit)
for user in heping-clerk heping-viewer hunhewan-clerk shenhe-clerk; do
    login "$user"
    expect_status 201 "$user logs in"
done
tomorrow=$(date -u -d tomorrow +%F)
# The last township of 和平区 (the others' tests use the first), with the organisations the
# generator gave it; ours carry a name of this run, so the checks can pick them out.
township=$(sql "SELECT MAX(code) FROM region WHERE parent_code = '210102' AND level = 4")
township_name=$(sql "SELECT name FROM region WHERE code = '$township'")
run=R$(date +%s | tail -c 7)
# all_pages PATH: the items of every page of a list (200 a page), as one JSON array.
all_pages() {
    local cursor="" sep='?' pages=()
    [[ $1 == *\?* ]] && sep='&'
    while :; do
        as heping-viewer GET "$1${sep}limit=200${cursor:+&cursor=$cursor}"
        pages+=("$(jq -c .items <<<"$HTTP_BODY")")
        cursor=$(jq -r '.next_cursor // empty' <<<"$HTTP_BODY")
        [[ -n $cursor ]] || break
    done
    printf '%s\n' "${pages[@]}" | jq -sc add
}

# --- Registering and reading ---------------------------------------------------------------

body=$(new_org_body "${run}华美服装有限公司" "$township" 45)
code=$(jq -r .credit_code <<<"$body")
before_audit=$(sql "SELECT MAX(id) FROM audit_log")
create_new_org heping-clerk "$body"
huamei=$NEW_ORG
expect_header Location "^/api/v1/new-organisations/$huamei\$"
expect_json '[.region, .name, .credit_code, .kind, .sector, .employees, .female_employees,
    .party_rating, .stable_operation, .stable_female_workforce, .suitable_chair, .contact_name,
    .contact_phone, .coverage.state, .link_count, .version]' \
    "[\"$township\",\"${run}华美服装有限公司\",\"$code\",\"economic\",\"制造业\",100,45,\"excellent\",
      true,true,true,\"张丽\",\"13700001111\",\"none\",0,1]" "the new organisation comes back whole"
expect_json .recommendation '{"kind":"committee","failing_conditions":[],"priority":3}' \
    "30 or more women and all three conditions: a committee"
expect_eq "$(sql "SELECT entity, action, region, actor, JSON_VALUE(after_data, '\$.credit_code')
                  FROM audit_log WHERE id > $before_audit")" \
    "new_org create $township heping-clerk $code" "the registration is in the audit log"
as heping-clerk GET "/api/v1/new-organisations/$huamei"
expect_eq "$(sql "SELECT after_data FROM audit_log WHERE id > $before_audit" | jq -Sc .)" \
    "$(jq -Sc 'del(.coverage_request)' <<<"$HTTP_BODY")" \
    "... with the record as it is stored (built, not read back; its coverage proposal is audited apart)"
as heping-viewer GET "/api/v1/new-organisations/$huamei"
expect_status 200 "a viewer reads it"
expect_json .contact_phone '"137****1111"' "a viewer sees the contact phone masked"

# A lower-case credit code is accepted and stored in capitals.
lower=$(new_credit_code)
create_new_org heping-clerk "$(new_org_body "${run}小店" "$township" 3 ".credit_code = \"${lower,,}\"
    | .party_rating = \"none\" | del(.contact_phone) | del(.contact_name)")"
small=$NEW_ORG
expect_json '[.credit_code, .recommendation.kind, .contact_phone]' "[\"$lower\",\"liaison_officer\",null]" \
    "fewer than 30 women: a liaison officer"

# --- Bad input: refused, nothing written ---------------------------------------------------

good=$(new_org_body "${run}正大食品有限公司" "$township" 20)
good_code=$(jq -r .credit_code <<<"$good")
alphabet=0123456789ABCDEFGHJKLMNPQRTUWXY
last=${good_code:17:1}
prefix=${alphabet%%"$last"*}
wrong=${good_code:0:17}${alphabet:$(((${#prefix} + 1) % 31)):1}
refused 422 invalid credit_code heping-clerk POST /api/v1/new-organisations \
    "$(jq -c --arg c "$wrong" '.credit_code = $c' <<<"$good")"
expect_json .error.message '"credit_code: has a wrong check character"'
refused 422 invalid credit_code heping-clerk POST /api/v1/new-organisations \
    "$(jq -c '.credit_code = "91350100M000100I43"' <<<"$good")"
refused 422 invalid credit_code heping-clerk POST /api/v1/new-organisations \
    "$(jq -c '.credit_code = "91350100M000100Y4"' <<<"$good")"
refused 409 duplicate credit_code heping-clerk POST /api/v1/new-organisations \
    "$(jq -c --arg c "$code" '.credit_code = $c' <<<"$good")"
refused 409 duplicate credit_code shenhe-clerk POST /api/v1/new-organisations \
    "$(jq -c --arg c "$code" '.credit_code = $c | .region = "210103"' <<<"$good")"
refused 422 invalid female_employees heping-clerk POST /api/v1/new-organisations \
    "$(jq -c '.female_employees = 101' <<<"$good")"
expect_json .error.message '"female_employees: must not be more than the fixed employees (100)"'
refused 422 invalid female_employees heping-clerk POST /api/v1/new-organisations \
    "$(jq -c '.female_employees = -1' <<<"$good")"
refused 422 invalid employees heping-clerk POST /api/v1/new-organisations \
    "$(jq -c '.employees = -5' <<<"$good")"
refused 422 invalid kind heping-clerk POST /api/v1/new-organisations "$(jq -c '.kind = "state"' <<<"$good")"
refused 422 invalid party_rating heping-clerk POST /api/v1/new-organisations \
    "$(jq -c '.party_rating = "good"' <<<"$good")"
refused 422 required name heping-clerk POST /api/v1/new-organisations "$(jq -c 'del(.name)' <<<"$good")"
refused 422 invalid contact_phone heping-clerk POST /api/v1/new-organisations \
    "$(jq -c '.contact_phone = "12ab"' <<<"$good")"
village=$(sql "SELECT MIN(code) FROM region WHERE code LIKE '210102%' AND level = 5")
refused 422 invalid region heping-clerk POST /api/v1/new-organisations \
    "$(jq -c --arg v "$village" '.region = $v' <<<"$good")"
refused 404 not_found region heping-clerk POST /api/v1/new-organisations \
    "$(jq -c '.region = "210103001"' <<<"$good")"
refused 404 not_found region hunhewan-clerk POST /api/v1/new-organisations \
    "$(jq -c '.region = "210102"' <<<"$good")"
refused 403 forbidden - heping-viewer POST /api/v1/new-organisations "$good"
refused 400 invalid_body - heping-clerk POST /api/v1/new-organisations '[1]'

create_new_org heping-clerk "$good"
zhengda=$NEW_ORG

# --- Changing -------------------------------------------------------------------------------

as heping-clerk PATCH "/api/v1/new-organisations/$zhengda" "${JSON[@]}" \
    --data '{"version":1,"female_employees":35,"suitable_chair":false,"party_rating":"up_to_standard"}'
expect_status 200 "a clerk changes an organisation"
expect_json '[.female_employees, .employees, .version, .recommendation]' \
    '[35,100,2,{"kind":"committee_conditions_unmet","failing_conditions":["suitable_chair"],"priority":7}]' \
    "30 or more women but no suitable chair: a committee is warranted, the failing condition named"
expect_eq "$(sql "SELECT action, JSON_VALUE(before_data, '\$.female_employees'),
                  JSON_VALUE(after_data, '\$.female_employees') FROM audit_log
                  WHERE entity = 'new_org' AND entity_id = '$zhengda' ORDER BY id DESC LIMIT 1")" \
    "update 20 35" "the change is in the audit log with before and after"
expect_eq "$(sql "SELECT after_data FROM audit_log WHERE entity = 'new_org' AND entity_id = '$zhengda'
                  ORDER BY id DESC LIMIT 1" | jq -Sc .)" "$(jq -Sc 'del(.coverage_request)' <<<"$HTTP_BODY")" \
    "... its record after the change as the PATCH answers it (a clerk: unmasked)"
refused 409 stale_version version heping-clerk PATCH "/api/v1/new-organisations/$zhengda" '{"version":1,"sector":"x"}'
refused 422 required version heping-clerk PATCH "/api/v1/new-organisations/$zhengda" '{"sector":"x"}'
refused 422 invalid female_employees heping-clerk PATCH "/api/v1/new-organisations/$zhengda" \
    '{"version":2,"employees":30}'
refused 422 invalid female_employees heping-clerk PATCH "/api/v1/new-organisations/$zhengda" \
    '{"version":2,"female_employees":-1}'
refused 422 invalid credit_code heping-clerk PATCH "/api/v1/new-organisations/$zhengda" \
    "{\"version\":2,\"credit_code\":\"$wrong\"}"
refused 409 duplicate credit_code heping-clerk PATCH "/api/v1/new-organisations/$zhengda" \
    "{\"version\":2,\"credit_code\":\"$code\"}"
refused 422 invalid region heping-clerk PATCH "/api/v1/new-organisations/$zhengda" \
    "{\"version\":2,\"region\":\"210102001\"}"
refused 404 not_found id heping-clerk PATCH /api/v1/new-organisations/999999999 '{"version":1}'
refused 403 forbidden - heping-viewer PATCH "/api/v1/new-organisations/$zhengda" '{"version":2}'

# --- Listing and the work list --------------------------------------------------------------

# One of each kind of recommendation and rating, all uncovered, in the township.
create_new_org heping-clerk "$(new_org_body "${run}甲" "$township" 50 '.party_rating = "none"')"
none_committee=$NEW_ORG
create_new_org heping-clerk "$(new_org_body "${run}乙" "$township" 10 '.party_rating = "up_to_standard" | .kind = "social"')"
standard_liaison=$NEW_ORG
create_new_org heping-clerk "$(new_org_body "${run}丙" "$township" 40 '.stable_operation = false')"
excellent_unmet=$NEW_ORG
# In priority order: excellent (committee, conditions unmet, liaison), up to standard
# (conditions unmet, liaison), none (committee, liaison).
expected="[$huamei,$excellent_unmet,$zhengda,$standard_liaison,$none_committee,$small]"
mine=$(jq -nc "[$huamei, $small, $zhengda, $none_committee, $standard_liaison, $excellent_unmet]")
worklist=$(all_pages "/api/v1/new-organisations/worklist?region=$township")
expect_eq "$(jq -c --argjson mine "$mine" '[.[].id | select(IN($mine[]))]' <<<"$worklist")" "$expected" \
    "the work list is in the order of Party rating, then recommendation"
expect_eq "$(jq -c '[.[] | [.recommendation.priority, .id]] | . == sort' <<<"$worklist")" true \
    "... all of it, the generated organisations too"
expect_eq "$(jq -c --arg t "$township" '[.[] | select(.region != $t or .coverage.state != "none")]' <<<"$worklist")" '[]' \
    "... which are the township's uncovered ones"
# The list pages write their items straight as text: each must be the organisation as its own
# answer gives it (which is built as a tree), the coverage proposal aside.
for id in $huamei $excellent_unmet $standard_liaison; do
    as heping-viewer GET "/api/v1/new-organisations/$id"
    expect_eq "$(jq -c --argjson id "$id" '.[] | select(.id == $id)' <<<"$worklist")" \
        "$(jq -c 'del(.coverage_request)' <<<"$HTTP_BODY")" "work-list item $id is the organisation's own answer"
done
pages=() cursor=""
while :; do
    as heping-viewer GET "/api/v1/new-organisations/worklist?region=$township&limit=7${cursor:+&cursor=$cursor}"
    pages+=("$(jq -c '[.items[].id]' <<<"$HTTP_BODY")")
    cursor=$(jq -r '.next_cursor // empty' <<<"$HTTP_BODY")
    [[ -n $cursor ]] || break
done
expect_eq "$(printf '%s\n' "${pages[@]}" | jq -sc add)" "$(jq -c '[.[].id]' <<<"$worklist")" \
    "pages of 7 through the cursor give the same list"
as hunhewan-clerk GET "/api/v1/new-organisations/worklist?region=$township"
expect_error 404 not_found
as heping-viewer GET "/api/v1/new-organisations/worklist?region=2101"
expect_error 400 invalid_parameter
as heping-viewer GET "/api/v1/new-organisations/worklist?region=$township&cursor=x.y"
expect_error 400 invalid_parameter
plan=$(sql "SET @jurisdiction = '210102'; EXPLAIN SELECT id FROM my_new_org n WHERE n.coverage = 'none'
    AND n.region = '$township' AND (n.work_order > -1 OR (n.work_order = -1 AND n.id > 0))
    ORDER BY n.work_order, n.id LIMIT 51")
check "a township's work list reads new_org_worklist in order, without sorting" \
    eval '[[ $plan == *new_org_worklist* && $plan != *filesort* ]]'

as heping-viewer GET "/api/v1/new-organisations?under=$township&name=$run&limit=2"
expect_json '[.items[].id]' "[$huamei,$small]" "the list is in (region, id) order"
as heping-viewer GET "/api/v1/new-organisations?under=$township&name=$run&limit=2&cursor=$(jq -r .next_cursor <<<"$HTTP_BODY")"
expect_json '[.items[].id]' "[$zhengda,$none_committee]" "its next page"
as heping-viewer GET "/api/v1/new-organisations?under=$township&name=$run&kind=social"
expect_json '[.items[].id]' "[$standard_liaison]" "kind filter"
as heping-viewer GET "/api/v1/new-organisations?under=$township&name=$run&rating=up_to_standard"
expect_json '[.items[].id]' "[$zhengda,$standard_liaison]" "rating filter"
as heping-viewer GET "/api/v1/new-organisations?under=$township&name=$run%E5%8D%8E%E7%BE%8E"
expect_json '[.items[].id]' "[$huamei]" "name filter: a part of the name"
as heping-viewer GET "/api/v1/new-organisations?under=$township&name=%25"
expect_json '[.items[].id]' '[]' "a % in the name filter is a character, not a wildcard"
for bad in kind=state rating=good coverage=all linked=yes under=12345 cursor=abc limit=0; do
    as heping-viewer GET "/api/v1/new-organisations?$bad"
    expect_error 400 invalid_parameter
done

# --- Coverage: proposed by the township, approved by the county -----------------------------

# The township's clerk proposes, the county's approver decides (the default chain); 沈河区's
# users are outside. A refused proposal or decision writes no request either.
WATCHED_TABLES+=(organisation position new_org_coverage_request workflow_request
    workflow_request_step workflow_event)
for user in hunhezhanxi-clerk heping-approver shenhe-approver shenyang-approver; do
    login "$user"
    expect_status 201 "$user logs in"
done
clerk=hunhezhanxi-clerk
committee_body='{"version":1,"kind":"committee","start_date":"2025-03-01"}'

as heping-viewer GET /api/v1/workflow/chains
expect_json '[.items[] | select(.kind | startswith("new_org_")) | select(.region == "")
    | [.kind, .org_class, .org_level, (.steps | map([.up, .role, .mode]))]]' \
    '[["new_org_committee","federation","township",[[1,"approver","approve"]]],
      ["new_org_committee","federation","county",[[1,"approver","approve"]]],
      ["new_org_liaison","federation","township",[[1,"approver","approve"]]],
      ["new_org_liaison","federation","county",[[1,"approver","approve"]]]]' \
    "the default chains: the next level up approves"

refused 422 conditions_unmet kind "$clerk" POST "/api/v1/new-organisations/$excellent_unmet/coverage" "$committee_body"
expect_json .error.message '"kind: the conditions for a committee do not hold yet (stable_operation)"'
refused 422 not_warranted kind "$clerk" POST "/api/v1/new-organisations/$small/coverage" "$committee_body"
expect_json .error.message '"kind: a women'"'"'s committee needs 30 or more female fixed employees; appoint a liaison officer"'
refused 409 stale_version version "$clerk" POST "/api/v1/new-organisations/$huamei/coverage" \
    '{"version":7,"kind":"committee","start_date":"2025-03-01"}'
refused 422 invalid start_date "$clerk" POST "/api/v1/new-organisations/$huamei/coverage" \
    "{\"version\":1,\"kind\":\"committee\",\"start_date\":\"$tomorrow\"}"
refused 422 invalid term_years "$clerk" POST "/api/v1/new-organisations/$huamei/coverage" \
    '{"version":1,"kind":"committee","start_date":"2025-03-01","term_years":6}'
refused 422 required person_id "$clerk" POST "/api/v1/new-organisations/$small/coverage" \
    '{"version":1,"kind":"liaison_officer","start_date":"2025-03-01"}'
refused 422 invalid person.id_number "$clerk" POST "/api/v1/new-organisations/$small/coverage" \
    '{"version":1,"kind":"liaison_officer","start_date":"2025-03-01","person":{"name":"钱红","gender":"female","birth_date":"1990-01-01","education":"bachelor","political_status":"masses","id_number":"210102199001010000"}}'
refused 404 not_found chair_person_id "$clerk" POST "/api/v1/new-organisations/$huamei/coverage" \
    '{"version":1,"kind":"committee","start_date":"2025-03-01","chair_person_id":999999999}'
refused 403 forbidden - heping-viewer POST "/api/v1/new-organisations/$huamei/coverage" "$committee_body"
refused 403 not_registering_office - heping-clerk POST "/api/v1/new-organisations/$huamei/coverage" "$committee_body"
refused 404 not_found id shenhe-clerk POST "/api/v1/new-organisations/$huamei/coverage" "$committee_body"

# Proposed: a request on its way up the chain, nothing covered yet.
before_audit=$(sql "SELECT MAX(id) FROM audit_log")
propose "$clerk" "$huamei" '{"version":1,"kind":"committee","start_date":"2025-03-01","note":"女职工45人，条件具备"}'
request=$REQUEST
expect_header Location "^/api/v1/requests/$request\$"
expect_json '[.coverage.state, .version, .coverage_request.kind, .coverage_request.stage,
    .coverage_request.term_years, .coverage_request.request.kind, .coverage_request.request.state,
    .coverage_request.request.subject_id, (.coverage_request.request.steps | map([.seq, .region, .role, .state]))]' \
    "[\"none\",1,\"committee\",\"proposed\",5,\"new_org_committee\",\"in_progress\",$huamei,[[1,\"210102\",\"approver\",\"pending\"]]]" \
    "the proposal is a request pending at the county; the organisation is not covered yet"
expect_eq "$(sql "SELECT entity, action FROM audit_log WHERE id > $before_audit ORDER BY id" | tr '\n' '|')" \
    "workflow_request create|new_org_coverage_request create|workflow_request submit|" \
    "the proposal, its request and its submission are in the audit log"
refused 409 open_request id "$clerk" POST "/api/v1/new-organisations/$huamei/coverage" "$committee_body"
as heping-approver GET /api/v1/inbox?limit=200
expect_json "[.items[] | select(.id == $request) | [.kind, .subject_id, .subject_name, .step]]" \
    "[[\"new_org_committee\",$huamei,\"${run}华美服装有限公司\",1]]" "it waits in the county approver's inbox, named"
# The inbox names it through one primary-key lookup per row of its page, without sorting. (Which
# index reads workflow_request depends on its size: the benchmark's data, not the test's.)
plan=$(sql "SET @jurisdiction = '210102'; EXPLAIN SELECT STRAIGHT_JOIN r.id, COALESCE(n.name, o.name)
    FROM my_workflow_request r JOIN my_organisation o ON o.id = r.organisation_id
    LEFT JOIN my_new_org n ON n.id = r.subject_id AND r.kind IN ('new_org_committee', 'new_org_liaison')
    JOIN my_workflow_request_step s ON s.request_id = r.id AND s.seq = r.current_step
    WHERE r.pending_region = '210102' AND r.id > 0 ORDER BY r.id LIMIT 51")
check "the inbox reads each new organisation by its key, without sorting" \
    eval '[[ $plan != *filesort* && $plan =~ SIMPLE\ new_org\ eq_ref\ [^\ ]+\ PRIMARY ]]'
as "$clerk" GET "/api/v1/requests?list=submitted"
expect_json "[.items[] | select(.id == $request) | .subject_name]" "[\"${run}华美服装有限公司\"]" \
    "... and is among the clerk's requests"
as heping-viewer GET "/api/v1/new-organisations?under=$township&name=$run&coverage=none"
expect_json "[.items[].id | select(. == $huamei)]" "[$huamei]" "until approved it is uncovered"
as shenhe-approver GET "/api/v1/requests/$request"
expect_error 404 not_found
refused 404 not_found id shenhe-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"approve"}'
refused 403 not_your_step step shenyang-approver POST "/api/v1/requests/$request/decisions" \
    '{"version":2,"step":1,"action":"approve"}'

before_audit=$(sql "SELECT MAX(id) FROM audit_log")
decide heping-approver "$request" approve
expect_status 200 "the county approves"
expect_json .state '"completed"'
as heping-viewer GET "/api/v1/new-organisations/$huamei"
committee=$(jq -r .coverage.committee_id <<<"$HTTP_BODY")
expect_json '[.coverage.state, .coverage.covered_on, .version, .coverage_request.stage,
    .coverage_request.committee_id == .coverage.committee_id, .coverage_request.request.state]' \
    '["committee","2025-03-01",2,"approved",true,"completed"]' "approved: the organisation has its committee"
expect_eq "$(sql "SELECT region, kind, host_kind, name, term_start, term_years FROM organisation WHERE id = $committee")" \
    "$township womens_committee enterprise ${run}华美服装有限公司妇女委员会 2025-03-01 5" \
    "the committee is an organisation of the roster, with its term"
expect_eq "$(sql "SELECT entity, action, actor FROM audit_log WHERE id > $before_audit ORDER BY id" | tr '\n' '|')" \
    "organisation create heping-approver|new_org cover heping-approver|new_org_coverage_request approve heping-approver|workflow_request approve heping-approver|" \
    "the committee, the coverage, the proposal and the decision are audited in one go"

# A liaison officer: refused where there is a committee; a cadre of the township's federation.
federation=$(sql "SELECT id FROM organisation WHERE federation_of = '$township'")
create_cadre heping-clerk "$(cadre_body 周小燕 1990-05-05 "$federation" vice_chair)"
officer=$CADRE
refused 409 has_committee kind "$clerk" POST "/api/v1/new-organisations/$huamei/coverage" \
    "{\"version\":2,\"kind\":\"liaison_officer\",\"person_id\":$officer,\"start_date\":\"2025-03-01\"}"
expect_json .error.message '"the organisation has its women'"'"'s committee already: it gets no liaison officer"' \
    "a liaison officer for an organisation with a committee is refused"
refused 409 has_committee kind "$clerk" POST "/api/v1/new-organisations/$huamei/coverage" \
    '{"version":2,"kind":"committee","start_date":"2025-03-01"}'
refused 404 not_found person_id "$clerk" POST "/api/v1/new-organisations/$small/coverage" \
    '{"version":1,"kind":"liaison_officer","person_id":999999999,"start_date":"2025-03-01"}'
cover_through_chain "$clerk" heping-approver "$small" \
    "{\"version\":1,\"kind\":\"liaison_officer\",\"person_id\":$officer,\"start_date\":\"2025-03-01\"}"
as heping-viewer GET "/api/v1/new-organisations/$small"
liaison=$(jq -r .coverage.liaison_position_id <<<"$HTTP_BODY")
expect_json '[.coverage.state, .coverage_request.kind, .coverage_request.person_name]' \
    '["liaison_officer","liaison_officer","周小燕"]'
expect_eq "$(sql "SELECT person_id, organisation_id, role, start_date FROM position WHERE id = $liaison")" \
    "$officer $federation liaison_officer 2025-03-01" "approved: her position opens in the township federation"
refused 409 has_liaison_officer kind "$clerk" POST "/api/v1/new-organisations/$small/coverage" \
    "{\"version\":2,\"kind\":\"liaison_officer\",\"person_id\":$officer,\"start_date\":\"2025-03-01\"}"

# A new person as liaison officer: entered on the township's roll when the county approves.
new_officer=$(jq -c --arg id "$(new_id_number 1991-06-06)" '{name: "钱红", gender: "female",
    birth_date: "1991-06-06", education: "bachelor", political_status: "masses", id_number: $id}' <<<'{}')
cover_through_chain "$clerk" heping-approver "$standard_liaison" \
    "{\"version\":1,\"kind\":\"liaison_officer\",\"start_date\":\"2025-04-01\",\"person\":$new_officer}"
as heping-viewer GET "/api/v1/new-organisations/$standard_liaison"
expect_eq "$(sql "SELECT p.name, p.region, s.role, s.organisation_id FROM position s JOIN person p
    ON p.id = s.person_id WHERE s.id = $(jq -r .coverage.liaison_position_id <<<"$HTTP_BODY")")" \
    "钱红 $township liaison_officer $federation" "a new liaison officer is on the roll, her position open"

# A committee with its chair from the roster: her position opens with the committee. Returned
# to the clerk first, and submitted again; four proposals at once for one organisation: one.
create_new_org heping-clerk "$(new_org_body "${run}丁" "$township" 50)"
ding=$NEW_ORG
for i in 1 2 3 4; do
    curl -sS -o /dev/null -w '%{http_code}\n' -X POST -b "$(jar "$clerk")" \
        -H 'X-Requested-With: XMLHttpRequest' "${JSON[@]}" \
        --data "{\"version\":1,\"kind\":\"committee\",\"start_date\":\"2025-05-01\",\"chair_person_id\":$officer}" \
        "$BASE_URL/api/v1/new-organisations/$ding/coverage" >"$TEST_TMP/propose.$i" &
done
wait
expect_eq "$(cat "$TEST_TMP"/propose.* | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')" "201:1 409:3 " \
    "four proposals at once for one organisation: one is made, three refused"
request=$(sql "SELECT request_id FROM new_org_coverage_request WHERE new_org_id = $ding AND stage = 'proposed'")
decide heping-approver "$request" return "请补充妇委会主任简历"
expect_json .state '"returned"' "the county returns the proposal to the clerk"
as "$clerk" POST "/api/v1/requests/$request/submit" "${JSON[@]}" --data '{"version":3,"comment":"已补充"}'
expect_status 200 "the clerk submits it again"
decide heping-approver "$request" approve
expect_json .state '"completed"' "... and the county approves it"
expect_eq "$(sql "SELECT s.person_id, s.role, s.start_date, o.name FROM position s JOIN organisation o
    ON o.id = s.organisation_id JOIN new_org n ON n.committee_id = o.id WHERE n.id = $ding")" \
    "$officer chair 2025-05-01 ${run}丁妇女委员会" "the chair named in the proposal chairs the new committee"

# Rejection and withdrawal leave the organisation uncovered, and free it for another proposal.
# An approval the rules no longer allow (the organisation changed meanwhile) writes nothing.
propose "$clerk" "$none_committee" "$committee_body"
request=$REQUEST
as heping-clerk PATCH "/api/v1/new-organisations/$none_committee" "${JSON[@]}" --data '{"version":1,"female_employees":10}'
expect_status 200 "the organisation shrinks while its proposal waits"
refused 422 not_warranted kind heping-approver POST "/api/v1/requests/$request/decisions" \
    "$(decision_body heping-approver "$request" approve)"
refused 422 required comment heping-approver POST "/api/v1/requests/$request/decisions" \
    "$(decision_body heping-approver "$request" reject)"
decide heping-approver "$request" reject "女职工不足30人，应选派联络员"
expect_json .state '"rejected"' "the county rejects the proposal"
as heping-viewer GET "/api/v1/new-organisations/$none_committee"
expect_json '[.coverage.state, .coverage.committee_id, .coverage_request.stage, .coverage_request.request.state]' \
    '["none",null,"rejected","rejected"]' "rejected: the organisation stays uncovered"
expect_eq "$(sql "SELECT COUNT(*) FROM organisation WHERE name = '${run}甲妇女委员会'")" 0 "... and no committee was made"
propose "$clerk" "$none_committee" \
    "{\"version\":2,\"kind\":\"liaison_officer\",\"person_id\":$officer,\"start_date\":\"2025-03-01\"}"
as "$clerk" POST "/api/v1/requests/$REQUEST/withdraw" "${JSON[@]}" --data '{"version":2}'
expect_status 200 "the clerk withdraws her proposal before any decision"
as heping-viewer GET "/api/v1/new-organisations/$none_committee"
expect_json '[.coverage.state, .coverage_request.stage, .coverage_request.request.state]' \
    '["none","withdrawn","withdrawn"]' "withdrawn: still uncovered"
worklist=$(all_pages "/api/v1/new-organisations/worklist?region=$township")
expect_eq "$(jq -c --argjson mine "$mine" '[.[].id | select(IN($mine[]))]' <<<"$worklist")" \
    "[$excellent_unmet,$zhengda,$none_committee]" "covered organisations leave the work list"
as heping-viewer GET "/api/v1/new-organisations?under=$township&name=$run&coverage=committee"
expect_json '[.items[].id]' "[$huamei,$ding]" "coverage filter"

# A province's admin sets her province's own chain for these like any other.
login liaoning-admin
as liaoning-admin PUT /api/v1/workflow/chains "${JSON[@]}" --data '{"kind":"new_org_liaison",
    "org_class":"federation","org_level":"county","steps":[{"up":1,"role":"approver","mode":"approve"}]}'
expect_status 200 "a province's admin sets the chain of a liaison officer for a county's organisation"
expect_json '[.items[] | select(.kind == "new_org_liaison" and .region == "21") | .org_level]' '["county"]'

# --- Links of county executive members, and visits -----------------------------------------

year_start=$(date -u +%Y)-01-01
today=$(date -u +%F)
before_year=$(date -u -d "$year_start - 1 day" +%F)
# make_committee NAME: a new organisation of the township with its committee since 1 January,
# proposed and approved;
# prints its id.
make_committee() {
    create_new_org heping-clerk "$(new_org_body "$1" "$township" 60)" >/dev/null
    cover_through_chain "$clerk" heping-approver "$NEW_ORG" \
        "{\"version\":1,\"kind\":\"committee\",\"start_date\":\"$year_start\"}" >/dev/null &&
        printf '%s' "$NEW_ORG"
}
committees=()
for i in 1 2 3 4 5 6 7; do
    committees+=("$(make_committee "委员会企业$i")")
done
expect_eq "${#committees[@]}" 7 "seven committees to link"
c=("${committees[@]}")
county_federation=$(sql "SELECT id FROM organisation WHERE federation_of = '210102'")
create_cadre heping-clerk "$(cadre_body 韩雪梅 1975-02-02 "$county_federation" executive_member)"
member=$CADRE
create_cadre heping-clerk "$(cadre_body 彭丽 1978-03-03 "$county_federation" executive_member)"
member2=$CADRE

link() { # link USER PERSON NEW_ORG [START]
    as "$1" POST /api/v1/new-org-links "${JSON[@]}" \
        --data "{\"person_id\":$2,\"new_org_id\":$3,\"start_date\":\"${4:-$year_start}\"}"
}
before_audit=$(sql "SELECT MAX(id) FROM audit_log")
link heping-clerk "$member" "${c[0]}"
expect_status 201 "a county executive member is linked to a committee"
link1=$(jq -r .id <<<"$HTTP_BODY")
expect_json '[.person_id, .person_name, .new_org_id, .region, .start_date, .end_date,
    .visits_this_year, .visit_due, .visits]' \
    "[$member,\"韩雪梅\",${c[0]},\"$township\",\"$year_start\",null,0,true,[]]"
expect_eq "$(sql "SELECT entity, action FROM audit_log WHERE id > $before_audit")" "new_org_link create" \
    "the link is in the audit log"
expect_eq "$(sql "SELECT link_count FROM new_org WHERE id = ${c[0]}")" 1 "the committee counts its link"

body() { printf '{"person_id":%s,"new_org_id":%s,"start_date":"%s"}' "$1" "$2" "${3:-$year_start}"; }
refused 409 already_linked new_org_id heping-clerk POST /api/v1/new-org-links "$(body "$member" "${c[0]}")"
refused 422 no_committee new_org_id heping-clerk POST /api/v1/new-org-links "$(body "$member" "$zhengda")"
refused 422 not_executive_member person_id heping-clerk POST /api/v1/new-org-links "$(body "$officer" "${c[1]}")"
refused 422 invalid start_date heping-clerk POST /api/v1/new-org-links "$(body "$member" "${c[1]}" "$before_year")"
refused 422 invalid start_date heping-clerk POST /api/v1/new-org-links "$(body "$member" "${c[1]}" "$tomorrow")"
refused 404 not_found person_id heping-clerk POST /api/v1/new-org-links "$(body 999999999 "${c[1]}")"
refused 404 not_found new_org_id heping-clerk POST /api/v1/new-org-links "$(body "$member" 999999999)"
refused 403 forbidden - heping-viewer POST /api/v1/new-org-links "$(body "$member" "${c[1]}")"
# A committee in 沈河区: outside the jurisdiction, so not found. Registered at the county, its
# proposal goes to the city (沈阳市) for approval.
create_new_org shenhe-clerk "$(new_org_body 沈河委员会企业 210103 60)"
shenhe_committee=$NEW_ORG
propose shenhe-clerk "$shenhe_committee" "{\"version\":1,\"kind\":\"committee\",\"start_date\":\"$year_start\"}"
expect_json '[.coverage_request.request.steps[] | [.region, .level, .role]]' '[["2101","city","approver"]]' \
    "a county's organisation: the city approves"
refused 403 not_your_step step shenhe-approver POST "/api/v1/requests/$REQUEST/decisions" \
    '{"version":2,"step":1,"action":"approve"}'
decide shenyang-approver "$REQUEST" approve
expect_json .state '"completed"' "沈阳市 approves 沈河区's committee"
refused 404 not_found new_org_id heping-clerk POST /api/v1/new-org-links "$(body "$member" "$shenhe_committee")"

link heping-clerk "$member" "${c[1]}"
expect_status 201 "a second link"
link2=$(jq -r .id <<<"$HTTP_BODY")
link heping-clerk "$member" "${c[2]}"
expect_status 201 "a third link"
link3=$(jq -r .id <<<"$HTTP_BODY")
refused 409 link_limit person_id heping-clerk POST /api/v1/new-org-links "$(body "$member" "${c[3]}")"
expect_json .error.message '"韩雪梅 is linked to 3 committees already; a county executive member is linked to at most 3 at a time (end a link first)"'

# Under concurrent requests: six at once for a member with no link, three may pass.
for i in 1 2 3 4 5 6; do
    curl -sS -o /dev/null -w '%{http_code}\n' -X POST -b "$(jar heping-clerk)" \
        -H 'X-Requested-With: XMLHttpRequest' "${JSON[@]}" \
        --data "$(body "$member2" "${c[i]}")" "$BASE_URL/api/v1/new-org-links" >"$TEST_TMP/parallel.$i" &
done
wait
expect_eq "$(cat "$TEST_TMP"/parallel.* | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')" "201:3 409:3 " \
    "six parallel link requests: three linked, three refused"
expect_eq "$(sql "SELECT COUNT(*) FROM new_org_link WHERE person_id = $member2 AND end_date IS NULL")" 3 \
    "the member has three current links, not more"

# Visits.
refused 422 invalid visited_on heping-clerk POST "/api/v1/new-org-links/$link1/visits" \
    "{\"visited_on\":\"$tomorrow\",\"notes\":\"x\"}"
refused 422 invalid visited_on heping-clerk POST "/api/v1/new-org-links/$link1/visits" \
    "{\"visited_on\":\"$before_year\",\"notes\":\"x\"}"
expect_json .error.message "\"visited_on: must not be before the link began ($year_start)\""
refused 404 not_found id heping-clerk POST /api/v1/new-org-links/999999999/visits "{\"visited_on\":\"$today\"}"
refused 403 forbidden - heping-viewer POST "/api/v1/new-org-links/$link1/visits" "{\"visited_on\":\"$today\"}"
before_audit=$(sql "SELECT MAX(id) FROM audit_log")
as heping-clerk POST "/api/v1/new-org-links/$link1/visits" "${JSON[@]}" \
    --data "{\"visited_on\":\"$year_start\",\"notes\":\"了解女职工需求\"}"
expect_status 201 "a visit is recorded"
expect_json '[.visits_this_year, .visit_due, (.visits | map([.visited_on, .notes, .recorded_by]))]' \
    "[1,true,[[\"$year_start\",\"了解女职工需求\",\"heping-clerk\"]]]"
expect_eq "$(sql "SELECT entity, action FROM audit_log WHERE id > $before_audit")" "new_org_visit create" \
    "the visit is in the audit log"
as heping-clerk POST "/api/v1/new-org-links/$link1/visits" "${JSON[@]}" --data "{\"visited_on\":\"$today\"}"
expect_json '[.visits_this_year, .visit_due]' '[2,false]' "two visits this year: not due"

# The due lists: links with fewer than two visits this year, committees with no link.
as heping-viewer GET "/api/v1/new-org-links/due?under=$township"
expect_status 200 "the due list"
expect_json '[.items[] | select(.person_id == '"$member"') | .id]' "[$link2,$link3]" \
    "links with fewer than two visits this year are due"
expect_json '[.items[] | select(.id == '"$link1"')]' '[]' "a link visited twice is not"
as heping-viewer GET "/api/v1/new-org-links/due?under=$township&limit=1"
expect_json '.items | length' 1 "the due list is paged"
check "... with a cursor" test "$(jq -r .next_cursor <<<"$HTTP_BODY")" != null
unlinked=$(sql "SELECT id FROM new_org WHERE region = '$township' AND coverage = 'committee'
    AND link_count = 0 ORDER BY id" | jq -sc .)
expect_eq "$(all_pages "/api/v1/new-organisations?under=$township&coverage=committee&linked=false" | jq -c '[.[].id]')" \
    "$unlinked" "committees with no link"
check "... which are some" test "$unlinked" != "[]"

# Ending a link frees a place.
refused 409 stale_version version heping-clerk POST "/api/v1/new-org-links/$link3/end" "{\"version\":2,\"end_date\":\"$today\"}"
refused 422 invalid end_date heping-clerk POST "/api/v1/new-org-links/$link3/end" "{\"version\":1,\"end_date\":\"$before_year\"}"
refused 422 invalid end_date heping-clerk POST "/api/v1/new-org-links/$link3/end" "{\"version\":1,\"end_date\":\"$tomorrow\"}"
count_before=$(sql "SELECT link_count FROM new_org WHERE id = ${c[2]}")
as heping-clerk POST "/api/v1/new-org-links/$link3/end" "${JSON[@]}" --data "{\"version\":1,\"end_date\":\"$today\"}"
expect_status 200 "a clerk ends a link"
expect_json '[.end_date, .version, .visit_due]' "[\"$today\",2,false]"
refused 409 already_ended id heping-clerk POST "/api/v1/new-org-links/$link3/end" "{\"version\":2,\"end_date\":\"$today\"}"
expect_eq "$(sql "SELECT link_count FROM new_org WHERE id = ${c[2]}")" $((count_before - 1)) \
    "the committee no longer counts it"
link heping-clerk "$member" "${c[3]}"
expect_status 201 "with a link ended, another may be made"

# --- Coverage statistics by child region ---------------------------------------------------

# The figures of the township, counted here otherwise: by coverage, and per link.
read -r orgs committees liaisons <<<"$(sql "SELECT COUNT(*), SUM(coverage = 'committee'),
    SUM(coverage = 'liaison_officer') FROM new_org WHERE region = '$township'")"
read -r links members visited <<<"$(sql "SELECT COUNT(*), COUNT(DISTINCT person_id),
    SUM((SELECT COUNT(*) FROM new_org_visit v WHERE v.link_id = l.id AND v.visited_on >= '$year_start') >= 2)
    FROM new_org_link l WHERE region = '$township' AND end_date IS NULL")"
as heping-viewer GET /api/v1/new-organisations/statistics?region=210102
expect_status 200 "the county's statistics"
expect_json ".children[] | select(.region == \"$township\") | [.name, .new_organisations, .with_committee,
    .with_liaison_officer, .uncovered, .links, .linked_executive_members, .links_visited_enough]" \
    "[\"$township_name\",$orgs,$committees,$liaisons,$((orgs - committees - liaisons)),$links,$members,$visited]" \
    "by child region"
check "... with the rates to three decimals" test "$(jq --arg t "$township" '.children[] | select(.region == $t)
    | def r(a; b): if b == 0 then null else ((a * 1000 / b) + 0.5 | floor) / 1000 end;
    .formation_rate == r(.with_committee; .new_organisations)
    and .coverage_rate == r(.with_committee + .with_liaison_officer; .new_organisations)
    and .links_per_executive_member == r(.links; .linked_executive_members)
    and .visit_compliance == r(.links_visited_enough; .links)' <<<"$HTTP_BODY")" = true
expect_json '[.total.region, .total.name]' '["210102","和平区"]'
expect_json '[.children[].new_organisations] | add + 0' \
    "$(($(sql "SELECT COUNT(*) FROM new_org WHERE region LIKE '210102%'") - $(sql "SELECT COUNT(*) FROM new_org WHERE region = '210102'")))" \
    "the children hold every organisation registered under the townships"
expect_json '.registered_here.new_organisations' "$(sql "SELECT COUNT(*) FROM new_org WHERE region = '210102'")" \
    "those registered at the county itself are counted apart"
as heping-viewer GET "/api/v1/new-organisations/statistics?region=$township"
expect_json '[([.children[].new_organisations] | add), .registered_here.new_organisations,
    .total.new_organisations]' "[0,$orgs,$orgs]" "a township's own organisations; its villages have none"
as hunhewan-clerk GET "/api/v1/new-organisations/statistics?region=$township"
expect_error 404 not_found
as hunhewan-clerk GET /api/v1/new-organisations/statistics?region=210102
expect_json .total.region '"210102001"' "a township clerk asking for her county gets her township"
as heping-viewer GET /api/v1/new-organisations/statistics?region=2101
expect_status 200 "a region above the jurisdiction is the jurisdiction"
expect_json .total.region '"210102"'
as heping-viewer GET /api/v1/new-organisations/statistics?region=21x
expect_error 400 invalid_parameter
as heping-viewer GET "/api/v1/new-organisations/statistics?region=$(sql "SELECT MIN(code) FROM region WHERE code LIKE '210102%' AND level = 5")"
expect_error 400 invalid_parameter

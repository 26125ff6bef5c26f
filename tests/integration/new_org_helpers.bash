# shellcheck shell=bash
# Helpers of the new-organisation tests (new_organisations.sh, jurisdiction.sh), sourced after
# lib.sh. Not a test itself (ctest runs *.sh only).

# credit_check CODE17: the GB 32100 check character of the first 17 characters.
credit_check() {
    local alphabet=0123456789ABCDEFGHJKLMNPQRTUWXY code=$1 sum=0 weight=1 i c prefix
    for ((i = 0; i < 17; i++)); do
        c=${code:i:1}
        prefix=${alphabet%%"$c"*}
        sum=$((sum + ${#prefix} * weight))
        weight=$((weight * 3 % 31))
    done
    printf '%s' "${alphabet:$(((31 - sum % 31) % 31)):1}"
}

# new_credit_code [AREA]: a valid code no one has used on this stack (the time of the run and a
# counter kept in a file, as this runs in command substitutions).
new_credit_code() {
    local area=${1:-210102} counter=$TEST_TMP/credit_counter n body
    n=$(($(cat "$counter" 2>/dev/null || echo 0) + 1))
    echo "$n" >"$counter"
    body=$(printf '91%s%s%03d' "$area" "$(date +%s | tail -c 7)" "$n")
    printf '%s%s' "$body" "$(credit_check "$body")"
}

# new_org_body NAME REGION FEMALE [JQ ASSIGNMENTS]: the body of POST /new-organisations with a
# new credit code, 100 employees, all three conditions and an excellent Party organisation,
# changed by the jq assignments.
new_org_body() {
    jq -cn --arg name "$1" --arg region "$2" --argjson female "$3" --arg code "$(new_credit_code)" "
        {name: \$name, credit_code: \$code, kind: \"economic\", sector: \"制造业\",
         region: \$region, employees: 100, female_employees: \$female,
         party_rating: \"excellent\", stable_operation: true, stable_female_workforce: true,
         suitable_chair: true, contact_name: \"张丽\", contact_phone: \"13700001111\"}
        | ${4:-.}"
}

# create_new_org USER BODY: POST /new-organisations; the id in NEW_ORG (empty when refused).
create_new_org() {
    as "$1" POST /api/v1/new-organisations "${JSON[@]}" --data "$2"
    expect_status 201 "$1 registers $(jq -r .name <<<"$2")"
    # shellcheck disable=SC2034 # for the tests
    NEW_ORG=$(jq -r '.id // empty' <<<"$HTTP_BODY")
}

# propose USER NEW_ORG BODY: POST /new-organisations/NEW_ORG/coverage, the proposal of its
# committee or liaison officer; its workflow request's id in REQUEST (empty when refused).
propose() {
    as "$1" POST "/api/v1/new-organisations/$2/coverage" "${JSON[@]}" --data "$3"
    expect_status 201 "$1 proposes the $(jq -r .kind <<<"$3") of new organisation $2"
    # shellcheck disable=SC2034 # for the tests
    REQUEST=$(jq -r '.coverage_request.request_id // empty' <<<"$HTTP_BODY")
}

# decision_body USER REQUEST ACTION [COMMENT]: the body of POST /requests/REQUEST/decisions for
# the step waiting now, at the version USER reads.
decision_body() {
    as "$1" GET "/api/v1/requests/$2"
    jq -c --arg action "$3" --arg comment "${4-}" '{version, step: .current_step, action: $action}
        + (if $comment == "" then {} else {comment: $comment} end)' <<<"$HTTP_BODY"
}

# decide USER REQUEST ACTION [COMMENT]: decides the step waiting now; the answer in HTTP_*.
decide() {
    local body
    body=$(decision_body "$@")
    as "$1" POST "/api/v1/requests/$2/decisions" "${JSON[@]}" --data "$body"
}

# cover_through_chain CLERK APPROVER NEW_ORG BODY: proposed by CLERK, approved by APPROVER;
# fails the test unless the request completes.
cover_through_chain() {
    propose "$1" "$3" "$4"
    [[ -n $REQUEST ]] || return 1
    decide "$2" "$REQUEST" approve
    expect_json .state '"completed"' "$2 approves request $REQUEST"
}

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

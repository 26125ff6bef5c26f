# shellcheck shell=bash
# Helpers of the cadre and workflow tests (cadres.sh, roster.sh, workflow.sh ...), sourced
# after lib.sh. Not a test itself (ctest runs *.sh). They make what the tests need without
# depending on the data generator: the organisations straight in the database, the cadres
# through the API, with ID numbers no one on the stack has yet.

WATCHED_TABLES=(person position training)

# make_org REGION LEVEL NAME [TERM_START]: a women's committee (many may share a region, so this
# never collides with a generated federation) with a five-year term; prints its id.
make_org() {
    local term=NULL years=NULL
    if [[ -n ${4-} ]]; then
        term="'$4'"
        years=5
    fi
    sql "INSERT INTO organisation (region, level, kind, host_kind, name, term_start, term_years)
         VALUES ('$1', $2, 'womens_committee', 'agency', '$3', $term, $years);
         SELECT LAST_INSERT_ID()"
}

# id_with_check DIGITS17: the 18-character ID number with its GB 11643 check character.
id_with_check() {
    local digits=$1 sum=0 i
    local -a weights=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2)
    for ((i = 0; i < 17; i++)); do
        sum=$((sum + ${digits:i:1} * weights[i]))
    done
    local chars=10X98765432
    printf '%s%s' "$digits" "${chars:sum % 11:1}"
}

# new_id_number BIRTH_DATE [AREA]: a valid ID number of someone born on BIRTH_DATE (YYYY-MM-DD)
# that is not on the stack yet nor given out before in this test (the ones given out are kept in
# a file, as this runs in command substitutions).
new_id_number() {
    local birth=${1//-/} area=${2:-210102} given=$TEST_TMP/id_numbers taken seq id
    taken=" $(sql "SELECT id_number FROM person WHERE id_number LIKE '$area$birth%'" | tr '\n' ' ')"
    touch "$given"
    for seq in $(seq 901 999); do
        id=$(id_with_check "$area$birth$seq")
        if [[ $taken != *" $id "* ]] && ! grep -qx "$id" "$given"; then
            echo "$id" >>"$given"
            printf '%s' "$id"
            return 0
        fi
    done
    return 1
}

# cadre_body NAME BIRTH_DATE ORG ROLE [JQ ASSIGNMENTS]: the body of POST /cadres, a new ID number
# for the birth date, changed by the jq assignments (e.g. '.education = "master"').
cadre_body() {
    local id
    id=$(new_id_number "$2")
    jq -cn --arg name "$1" --arg birth "$2" --argjson org "$3" --arg role "$4" --arg id "$id" "
        {name: \$name, gender: \"female\", birth_date: \$birth, education: \"bachelor\",
         political_status: \"masses\", id_number: \$id, mobile: \"13900001111\",
         position: {organisation_id: \$org, role: \$role, start_date: \"2024-01-15\"}}
        | ${5:-.}"
}

# create_cadre USER BODY: POST /cadres; the new person's id in CADRE and her position's in
# POSITION (empty when refused).
create_cadre() {
    as "$1" POST /api/v1/cadres "${JSON[@]}" --data "$2"
    expect_status 201 "$1 enters $(jq -r .name <<<"$2")"
    # shellcheck disable=SC2034 # for the tests
    CADRE=$(jq -r '.id // empty' <<<"$HTTP_BODY")
    # shellcheck disable=SC2034 # for the tests
    POSITION=$(jq -r '.positions[0].id // empty' <<<"$HTTP_BODY")
}

# kept_differs: the (county, metric) and (township, metric) pairs where the counts kept in
# stat_county and stat_township differ from a recount of the tables; 0 when they agree.
kept_differs() {
    sql "SET @jurisdiction = '';
         SELECT (SELECT COUNT(*) FROM (
             SELECT county, metric FROM (
                 SELECT county, metric, n FROM stat_county
                 UNION ALL SELECT LEFT(region, 6), metric, -n FROM my_stat_recount) d
             GROUP BY county, metric HAVING SUM(n) <> 0) x)
           + (SELECT COUNT(*) FROM (
             SELECT township, metric FROM (
                 SELECT township, metric, n FROM stat_township
                 UNION ALL SELECT LEFT(region, 9), metric, -n FROM my_stat_recount) d
             GROUP BY township, metric HAVING SUM(n) <> 0) y)"
}

# waiting_kept_differs: the (county, day, slot) rows where the counts of waiting steps kept in
# workflow_waiting_county differ from a recount of the requests, and the rows kept at 0; 0 when
# they agree.
waiting_kept_differs() {
    sql "SET @jurisdiction = '';
         SELECT (SELECT COUNT(*) FROM (SELECT county, since, slot FROM (
                 SELECT county, since, slot, n FROM workflow_waiting_county
                 UNION ALL SELECT county, since, slot, -n FROM my_workflow_waiting_recount) d
             GROUP BY county, since, slot HAVING SUM(n) <> 0) x)
           + (SELECT COUNT(*) FROM workflow_waiting_county WHERE n = 0)"
}

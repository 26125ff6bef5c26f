#!/usr/bin/env bash
# The roster (GET /api/v1/roster): every filter alone and combined, each sort, keyset pages
# walked to the end without a row twice or left out, masking by role, bad parameters, and the
# jurisdiction of the sibling counties 和平区 and 沈河区. Each answer is compared with the same
# question asked of the database directly, so it holds whatever the data generator put there.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"

for user in heping-clerk heping-viewer shenhe-clerk shenhe-viewer hunhewan-viewer liaoning-admin; do
    login "$user"
    expect_status 201 "$user logs in"
done

# --- Test cadres: names starting with 册试 and a character no one's name has there yet, so a name
# filter finds only this run's (the test may run again on the same stack) -------------------------

# uri TEXT: TEXT percent-encoded for a query string.
uri() { jq -rn --arg s "$1" '$s | @uri'; }
for tag in 一 二 三 四 五 六 七 八 九 十 百 千 万 东 南 西 北 中 春 夏 秋 冬; do
    P=册试$tag
    [[ $(sql "SELECT COUNT(*) FROM person WHERE name LIKE '$P%'") == 0 ]] && break
done
N="name=$(uri "$P")"

township=$(make_org 210102001 4 '浑河湾街道名册测试妇委会' 2023-03-01)
county=$(make_org 210102 3 '和平区名册测试妇委会')
shenhe=$(make_org 210103005 4 '滨河街道名册测试妇委会' 2022-06-01)
recent=$(date -u -d '30 days ago' +%F)

# name birth organisation role full_time in_two_committees education political last_training
people=(
    "${P}甲 1970-02-03 $township chair true true master cpc_member $recent"
    "${P}乙 1975-05-06 $township vice_chair true false bachelor cpc_probationary -"
    "${P}丙 1980-07-08 $township vice_chair false false bachelor masses 2023-01-10"
    "${P}丁 1985-09-10 $township standing_member false true junior_college league_member $recent"
    "${P}戊 1990-11-12 $township executive_member false false senior_high masses -"
    "${P}己 1995-01-14 $township executive_member false false master cpc_member 2023-06-01"
    "${P}庚 2000-03-16 $township executive_member false false vocational masses $recent"
    "${P}辛 1965-04-18 $county chair true false doctorate cpc_member $recent"
    "${P}壬 1972-06-20 $county vice_chair false false bachelor democratic_party -"
    "${P}癸 1983-08-22 $county executive_member false true master cpc_member 2024-01-01"
    "${P}子 1988-10-24 $county executive_member false false primary masses -"
    "${P}丑 1993-12-26 $county liaison_officer false false junior_high league_member $recent"
)
starts=(2023-03-01 2023-04-01 2023-03-01 2024-05-01 2023-03-01 2025-01-01 2023-03-01 2022-01-01
    2022-01-01 2024-07-01 2023-09-09 2025-02-02)
persons=()
for i in "${!people[@]}"; do
    read -r name birth org role full two edu political trained <<<"${people[$i]}"
    create_cadre heping-clerk "$(cadre_body "$name" "$birth" "$org" "$role" "
        .education = \"$edu\" | .political_status = \"$political\"
        | .position.full_time = $full | .position.in_two_committees = $two
        | .position.start_date = \"${starts[$i]}\"")"
    persons+=("$CADRE")
    if [[ $trained != - ]]; then
        as heping-clerk POST "/api/v1/cadres/$CADRE/training" "${JSON[@]}" \
            --data "{\"held_on\":\"$trained\",\"course\":\"培训\",\"hours\":4,\"organiser_level\":\"county\"}"
        expect_status 201 "training of $name"
    fi
done
# A second position for 册试甲; an ended one for 册试乙 (not on the roster); 册试子 renamed.
as heping-clerk POST "/api/v1/cadres/${persons[0]}/positions" "${JSON[@]}" \
    --data "{\"organisation_id\":$county,\"role\":\"executive_member\",\"start_date\":\"2024-02-02\"}"
expect_status 201 "册试甲 gets a second position"
as heping-clerk POST "/api/v1/cadres/${persons[1]}/positions" "${JSON[@]}" \
    --data "{\"organisation_id\":$county,\"role\":\"standing_member\",\"start_date\":\"2023-05-05\"}"
ended=$(jq -r .id <<<"$HTTP_BODY")
as heping-clerk POST "/api/v1/positions/$ended/end" "${JSON[@]}" \
    --data '{"version":1,"end_date":"2024-05-05","reason":"调任"}'
expect_status 200 "an ended position"
as heping-clerk PATCH "/api/v1/cadres/${persons[10]}" "${JSON[@]}" --data "{\"version\":1,\"name\":\"${P}寅\"}"
expect_status 200 "册试子 is renamed 册试寅"
as heping-clerk PATCH "/api/v1/cadres/${persons[4]}" "${JSON[@]}" --data \
    '{"version":1,"education":"bachelor","political_status":"cpc_member","mobile":"13811112222"}'
expect_status 200 "册试戊's education, party and mobile change"
create_cadre shenhe-clerk "$(cadre_body "${P}卯" 1979-09-09 "$shenhe" chair)"

# --- Walking pages ------------------------------------------------------------------------------

# walk USER QUERY: GETs /roster?QUERY and every next page; prints the position ids in order, one
# per line, and fails when a page is refused or a cursor does not lead on.
walk() {
    local user=$1 query=$2 cursor="" pages=0
    : >"$TEST_TMP/walk"
    while :; do
        as "$user" GET "/api/v1/roster?$query${cursor:+&cursor=$cursor}"
        if [[ $HTTP_STATUS != 200 ]]; then
            fail "$user GET /roster?$query: page $pages answered $HTTP_STATUS"
            return 0
        fi
        jq -r '.items[].position_id' <<<"$HTTP_BODY" >>"$TEST_TMP/walk"
        cursor=$(jq -r '.next_cursor // empty' <<<"$HTTP_BODY")
        pages=$((pages + 1))
        [[ -n $cursor ]] || break
    done
    WALK_PAGES=$pages
    cat "$TEST_TMP/walk"
}

# oracle CONDITION ORDER: the ids of current positions in 和平区 whose person is in 和平区 too and
# that meet CONDITION (SQL on p = position, s = person, o = organisation), in ORDER.
oracle() {
    sql "SELECT p.id FROM position p JOIN person s ON s.id = p.person_id
         JOIN organisation o ON o.id = p.organisation_id
         WHERE p.current AND p.region LIKE '210102%' AND s.region LIKE '210102%' AND ($1)
         ORDER BY $2"
}

# same USER QUERY CONDITION [ORDER]: walking the roster for QUERY gives what the oracle says.
same() {
    local got want
    got=$(walk "$1" "$2" | tr '\n' ' ')
    want=$(oracle "$3" "${4:-p.region, p.id}" | tr '\n' ' ')
    expect_eq "$got" "$want" "$1 roster?$2: ${want:0:60}"
}

mine="s.name LIKE '$P%'"
expect_eq "$(oracle "$mine" p.id | wc -l)" 13 "the test cadres hold 13 current positions in 和平区"
for limit in 1 3 13 50; do
    same heping-viewer "$N&limit=$limit" "$mine"
done
walk heping-viewer "$N&limit=13" >/dev/null
expect_eq "$WALK_PAGES" 1 "a page holding the last row says so: no empty page after it"
walk heping-viewer "$N&limit=4" >/dev/null
expect_eq "$WALK_PAGES" 4 "13 rows in pages of 4 are 4 pages"
same heping-viewer "$N&limit=2&sort=name" "$mine" "p.person_name, p.id"
same heping-viewer "$N&limit=2&sort=start_date" "$mine" "p.start_date, p.id"
same heping-viewer "$N&sort=region" "$mine"
as heping-viewer GET "/api/v1/roster?$N&sort=name&limit=13"
expect_json "[.items[].name] | index(\"${P}寅\") != null and index(\"${P}子\") == null" true \
    "a renamed cadre is listed and sorted under her new name"
expect_eq "$(sql "SELECT DISTINCT person_name FROM position WHERE person_id = ${persons[10]}")" "${P}寅" \
    "her positions carry the new name for the name order"

# The whole 和平区, generated cadres too, in pages of 200, and in name order: every position once.
got=$(walk heping-viewer "limit=200")
expect_eq "$(sort <<<"$got" | uniq -d | wc -l)" 0 "walking all of 和平区 meets no position twice"
expect_eq "$(tr '\n' ' ' <<<"$got")" "$(oracle TRUE "p.region, p.id" | tr '\n' ' ')" \
    "walking all of 和平区 gives every current position in region order ($(wc -l <<<"$got") rows)"
got=$(walk heping-viewer "limit=200&sort=name")
expect_eq "$(tr '\n' ' ' <<<"$got")" "$(oracle TRUE "p.person_name, p.id" | tr '\n' ' ')" \
    "... and in name order"
as liaoning-admin GET "/api/v1/roster?under=2101&sort=name&limit=5"
expect_status 200 "a province sees a city's roster in name order"
expect_json '[.items[].region | startswith("2101")] | all' true

# --- Filters, alone and combined ----------------------------------------------------------------

today_sql="UTC_DATE()"
due="COALESCE(s.last_training_on, '1000-01-01') < GREATEST(COALESCE(p.term_start, $today_sql - INTERVAL 2 YEAR), $today_sql - INTERVAL 2 YEAR)"
age="TIMESTAMPDIFF(YEAR, s.birth_date, $today_sql)"
same heping-viewer "$N&role=chair" "$mine AND p.role = 'chair'"
same heping-viewer "$N&role=executive_member" "$mine AND p.role = 'executive_member'"
same heping-viewer "$N&full_time=true" "$mine AND p.full_time"
same heping-viewer "$N&full_time=false" "$mine AND NOT p.full_time"
same heping-viewer "$N&in_two_committees=true" "$mine AND p.in_two_committees"
same heping-viewer "$N&education=master" "$mine AND s.education = 'master'"
same heping-viewer "$N&party_member=true" "$mine AND s.political_status IN ('cpc_member', 'cpc_probationary')"
same heping-viewer "$N&party_member=false" "$mine AND s.political_status NOT IN ('cpc_member', 'cpc_probationary')"
same heping-viewer "$N&age_min=40" "$mine AND $age >= 40"
same heping-viewer "$N&age_max=39" "$mine AND $age <= 39"
same heping-viewer "$N&age_min=30&age_max=50" "$mine AND $age BETWEEN 30 AND 50"
same heping-viewer "$N&training_due=true" "$mine AND $due"
same heping-viewer "$N&training_due=false" "$mine AND NOT $due"
same heping-viewer "$N&kind=womens_committee&level=township" "$mine AND p.org_kind = 'womens_committee' AND p.org_level = 4"
same heping-viewer "$N&level=county" "$mine AND p.org_level = 3"
same heping-viewer "$N&under=210102001" "$mine AND p.region LIKE '210102001%'"
same heping-viewer "$N&role=executive_member&party_member=true&full_time=false&limit=1" \
    "$mine AND p.role = 'executive_member' AND s.political_status IN ('cpc_member', 'cpc_probationary') AND NOT p.full_time"
same heping-viewer "$N&training_due=true&in_two_committees=false&age_max=45&sort=name&limit=2" \
    "$mine AND $due AND NOT p.in_two_committees AND $age <= 45" "p.person_name, p.id"
same heping-viewer "name=$(uri "${P}甲")" "s.name LIKE '${P}甲%'"
same heping-viewer "name=%25" "s.name LIKE '\\%%'"
same heping-viewer "name=_" "s.name LIKE '\\_%'"
same heping-viewer "training_due=true&role=chair&limit=100" "$due AND p.role = 'chair'"
same heping-viewer "kind=federation&full_time=true&limit=100" "p.org_kind = 'federation' AND p.full_time"
same heping-viewer "under=2101&kind=" "TRUE"
same hunhewan-viewer "$N" "$mine AND p.region LIKE '210102001%' AND s.region LIKE '210102001%'"

# One item whole, for the township chair (trained recently, so not due).
as heping-viewer GET "/api/v1/roster?$N&role=chair&under=210102001"
expect_json '.items[0] | del(.position_id, .person_id, .id_number, .age, .organisation_id)' \
    "{\"name\":\"${P}甲\",\"gender\":\"female\",\"birth_date\":\"1970-02-03\",\"education\":\"master\",
      \"political_status\":\"cpc_member\",\"mobile\":\"139****1111\",
      \"organisation_name\":\"浑河湾街道名册测试妇委会\",\"region\":\"210102001\",\"level\":\"township\",
      \"kind\":\"womens_committee\",\"role\":\"chair\",\"full_time\":true,\"in_two_committees\":true,
      \"start_date\":\"2023-03-01\",\"term_start\":\"2023-03-01\",\"last_training_on\":\"$recent\",
      \"training_due\":false}" "a roster item carries the person and the position"
expect_json '.items[0].id_number | test("^210102\\*{8}[0-9]{3}[0-9X]$")' true "a viewer sees the ID number masked"
as heping-clerk GET "/api/v1/roster?$N&role=chair&under=210102001"
expect_json '[(.items[0].id_number | test("^210102[0-9]{11}[0-9X]$")), .items[0].mobile]' '[true,"13900001111"]' \
    "a clerk sees personal data in full"
as liaoning-admin GET "/api/v1/roster?$N&role=chair&under=210102001"
expect_json '.items[0].mobile' '"13900001111"' "an admin sees personal data in full"

# The roster reads a holder's columns from her positions (migration 023): they follow her record.
as heping-clerk GET "/api/v1/roster?name=$(uri "${P}戊")"
expect_json '.items[0] | [.education, .political_status, .mobile]' '["bachelor","cpc_member","13811112222"]' \
    "a changed record shows on the roster"

# --- Bad parameters -----------------------------------------------------------------------------

for query in sort=age limit=0 limit=201 limit=x cursor=garbage 'cursor=%2F%2F' under=2101021 \
    under=abc age_min=-1 age_min=151 'age_min=50&age_max=40' role=boss full_time=yes \
    in_two_committees=1 training_due=maybe party_member=no level=nation kind=committee \
    education=phd "name=$(printf '%065d' 0)"; do
    as heping-viewer GET "/api/v1/roster?$query"
    expect_error 400 invalid_parameter
done
as heping-viewer GET "/api/v1/roster?$N&sort=name&limit=2"
name_cursor=$(jq -r .next_cursor <<<"$HTTP_BODY")
as heping-viewer GET "/api/v1/roster?$N&sort=start_date&cursor=$name_cursor"
expect_error 400 invalid_parameter
expect_json .error.field '"cursor"' "a cursor of one sort is refused for another"
as heping-viewer GET "/api/v1/roster?$N&sort=name&cursor=$name_cursor&limit=2"
expect_status 200 "... and taken by its own"
http GET "/api/v1/roster"
expect_error 401 unauthorized

# --- Jurisdiction -------------------------------------------------------------------------------

for user in shenhe-viewer shenhe-clerk; do
    as "$user" GET "/api/v1/roster?$N&limit=200"
    expect_json '[.items[] | select(.region | startswith("210103") | not)] | length' 0 \
        "$user finds none of 和平区's test cadres"
    expect_json "[.items[].name] | index(\"${P}卯\") != null" true "... and 沈河区's own"
    as "$user" GET "/api/v1/roster?under=210102&limit=200"
    expect_json '.items | length' 0 "$user gets nothing under 和平区"
    as "$user" GET "/api/v1/roster?under=210102001&role=chair"
    expect_json '.items | length' 0 "$user gets nothing under a township of 和平区"
done
as heping-viewer GET "/api/v1/roster?under=210103&limit=200"
expect_json '.items | length' 0 "和平区 gets nothing under 沈河区"

# A holder whose record lies above the county (entered in 沈阳市, a position given to her from
# above) is on the roster of those who see her record, not on 和平区's. Her position ends after,
# so that only its history stays for the tests that follow.
above_id=$(new_id_number 1977-07-07 210100)
above=$(sql "INSERT INTO person (region, name, gender, birth_date, education, political_status,
                                 id_number)
             VALUES ('2101', '${P}辰', 'female', '1977-07-07', 'bachelor', 'masses', '$above_id')
             RETURNING id")
above_position=$(sql "INSERT INTO position (person_id, organisation_id, region, org_level,
                                            org_kind, role, start_date, term_start, person_name)
                      SELECT $above, id, region, level, kind, 'executive_member', '2024-03-03',
                             term_start, '${P}辰'
                      FROM organisation WHERE id = $township
                      RETURNING id")
as heping-viewer GET "/api/v1/roster?name=$(uri "${P}辰")"
expect_json '.items | length' 0 "和平区's roster leaves out a holder whose record it cannot see"
as liaoning-admin GET "/api/v1/roster?name=$(uri "${P}辰")"
expect_json '[.items[].position_id]' "[$above_position]" "... which 辽宁省's roster shows"
sql "UPDATE position SET end_date = '2024-04-04' WHERE id = $above_position" >/dev/null
as heping-viewer GET "/api/v1/roster?under=21&$N&limit=200"
expect_json '[.items[].region | startswith("210102")] | all' true \
    "under a region above her own, a user still gets only her jurisdiction"
got=$(walk shenhe-viewer "limit=200")
expect_eq "$(grep -vc '^$' <<<"$got" || true)" \
    "$(sql "SELECT COUNT(*) FROM position p JOIN person s ON s.id = p.person_id
            WHERE p.current AND p.region LIKE '210103%' AND s.region LIKE '210103%'")" \
    "沈河区's whole roster, walked, has all of its positions"
expect_eq "$(sql "SELECT COUNT(*) FROM position WHERE id IN (0$(tr '\n' ',' <<<"$got")0)
                  AND region NOT LIKE '210103%'")" 0 "... and none of anyone else"

# A position given to another person (no handler does, the statistics' triggers allow for it)
# takes her columns; rolled back, so the tests that follow find it as it was.
expect_eq "$(sql "START TRANSACTION;
                  UPDATE position SET person_id = ${persons[1]} WHERE id = $above_position;
                  SELECT person_name, person_id_number = '$(sql "SELECT id_number FROM person WHERE id = ${persons[1]}")'
                  FROM position WHERE id = $above_position;
                  ROLLBACK")" "${P}乙 1" "a position given to another person takes her columns"

# Every position carries the columns of its person as they are now, whoever wrote them (the API,
# the generator, the tests above).
expect_eq "$(sql "SELECT COUNT(*) FROM position p JOIN person s ON s.id = p.person_id
                  WHERE NOT (BINARY p.person_name <=> BINARY s.name AND p.person_region <=> s.region
                      AND p.person_gender <=> s.gender AND p.person_birth_date <=> s.birth_date
                      AND p.person_education <=> s.education
                      AND p.person_political_status <=> s.political_status
                      AND p.person_id_number <=> s.id_number AND p.person_mobile <=> s.mobile
                      AND p.person_last_training_on <=> s.last_training_on)")" 0 \
    "every position carries its person's columns as they are now"

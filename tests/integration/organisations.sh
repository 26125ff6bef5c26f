#!/usr/bin/env bash
# Organisations through the API: create, read, change, convert (会改联), list with filters and
# pages; every refusal of bad input, each leaving the database as it was; and the jurisdiction
# between the sibling counties 和平区 (210102) and 沈河区 (210103). Works on an empty test stack
# and on one the data generator filled (a federation for every region under 沈阳市).
source "$(dirname "$0")/lib.sh"

WATCHED_TABLES=(organisation)

# create USER BODY: POST /organisations; the new id in CREATED (empty when refused).
create() {
    as "$1" POST /api/v1/organisations "${JSON[@]}" --data "$2"
    local what=${2//$'\n'/}
    expect_status 201 "$1 creates ${what:0:90}"
    CREATED=$(jq -r '.id // empty' <<<"$HTTP_BODY")
}

# patch STATUS CODE FIELD ID BODY: PATCH as heping-clerk, refused, nothing written.
patch() { refused "$1" "$2" "$3" heping-clerk PATCH "/api/v1/organisations/$4" "$5"; }

for user in heping-clerk heping-viewer shenhe-clerk shenhe-viewer hunhewan-clerk liaoning-admin; do
    login "$user"
    expect_status 201 "$user logs in"
done

# --- Creating and reading -----------------------------------------------------------------------

# 和平区's federation, made now if it has none yet.
as heping-clerk GET "/api/v1/organisations?under=210102&kind=federation&limit=1"
heping=$(jq -r '.items[] | select(.region == "210102") | .id' <<<"$HTTP_BODY")
if [[ -z $heping ]]; then
    create heping-clerk '{"region":"210102","kind":"federation","name":"和平区妇联"}'
    heping=$CREATED
fi
check "和平区 has its federation" test -n "$heping"

as heping-clerk POST /api/v1/organisations "${JSON[@]}" --data '{"region":"210102001",
    "kind":"womens_committee","host_kind":"enterprise","name":" 某科技公司妇委会 ",
    "term_start":"2024-03-01","term_years":3}'
expect_status 201
committee=$(jq -r .id <<<"$HTTP_BODY")
expect_header Location "^/api/v1/organisations/$committee\$"
expect_json 'del(.id)' '{"region":"210102001","region_name":"浑河湾街道","level":"township",
    "kind":"womens_committee","host_kind":"enterprise","name":"某科技公司妇委会","converted_on":null,
    "term":{"start":"2024-03-01","years":3,"end":"2027-03-01"},"village_committee_election":null,
    "next_due":"2027-03-01","version":1}' "a committee comes back whole, its term's end computed"
expect_eq "$(sql "SELECT action, region, actor, actor_region, before_data IS NULL,
                  JSON_VALUE(after_data, '\$.name') FROM audit_log
                  WHERE entity = 'organisation' AND entity_id = '$committee'")" \
    "create 210102001 heping-clerk 210102 1 某科技公司妇委会" "the creation is in the audit log"

create heping-clerk '{"region":"210102","kind":"womens_committee","host_kind":"agency",
    "name":"区教育局妇委会"}'
county_committee=$CREATED

as heping-viewer GET "/api/v1/organisations/$committee"
expect_status 200 "a viewer reads an organisation"
expect_json '.office_holders' '{"current":[],"past":[]}' "no office holders yet"
expect_json .next_due '"2027-03-01"'

# A community under 浑河湾街道 that has neither federation nor congress yet. When every one has
# (generated data), one is added to the division table for this test and removed at its end.
village=$(sql "SELECT code FROM region WHERE code LIKE '210102001%' AND level = 5 AND code NOT IN
               (SELECT federation_of FROM organisation WHERE federation_of IS NOT NULL)
               ORDER BY code LIMIT 1")
added_village=
if [[ -z $village ]]; then
    village=210102001999
    added_village=$village
    sql "INSERT INTO region (code, parent_code, name, level) VALUES ('$village', '210102001', '测试社区', 5)"
fi
create hunhewan-clerk "{\"region\":\"$village\",\"kind\":\"womens_congress\",\"name\":\"妇代会\",
    \"term_start\":\"2021-05-01\",\"term_years\":5,\"village_committee_election\":\"2026-04-15\"}"
congress=$CREATED
as hunhewan-clerk GET "/api/v1/organisations/$congress"
expect_json '[.level, .kind, .term.end, .next_due]' '["village","womens_congress","2026-05-01","2026-04-15"]' \
    "a village re-elects with its village committee"

# --- Changing -----------------------------------------------------------------------------------

as heping-clerk PATCH "/api/v1/organisations/$committee" "${JSON[@]}" \
    --data '{"version":1,"name":"某科技公司妇女工作委员会","term_start":"2024-06-01","term_years":5}'
expect_status 200
expect_json '[.name, .term, .next_due, .version]' \
    '["某科技公司妇女工作委员会",{"start":"2024-06-01","years":5,"end":"2029-06-01"},"2029-06-01",2]'
expect_eq "$(sql "SELECT action, JSON_VALUE(before_data, '\$.version'), JSON_VALUE(after_data, '\$.version'),
                  JSON_VALUE(before_data, '\$.term.end'), JSON_VALUE(after_data, '\$.term.end')
                  FROM audit_log WHERE entity = 'organisation' AND entity_id = '$committee'
                  ORDER BY id DESC LIMIT 1")" "update 1 2 2027-03-01 2029-06-01" \
    "the change is in the audit log with before and after"
before=$(state)
as heping-clerk PATCH "/api/v1/organisations/$committee" "${JSON[@]}" \
    --data '{"version":2,"name":"某科技公司妇女工作委员会","term_years":5}'
expect_json .version 2 "a change that changes nothing keeps the version"
expect_eq "$(state)" "$before" "... and writes nothing, not even to the audit log"

tomorrow=$(date -u -d tomorrow +%F)
patch 422 required converted_on "$congress" '{"version":1,"kind":"federation"}'
patch 422 invalid converted_on "$congress" "{\"version\":1,\"kind\":\"federation\",\"converted_on\":\"$tomorrow\"}"
patch 422 invalid converted_on "$congress" '{"version":1,"converted_on":"2024-01-01"}'
patch 422 invalid kind "$congress" '{"version":1,"kind":"womens_committee","host_kind":"agency"}'
as heping-clerk PATCH "/api/v1/organisations/$congress" "${JSON[@]}" \
    --data '{"version":1,"kind":"federation","converted_on":"2025-01-10"}'
expect_status 200 "会改联: the congress becomes a federation"
expect_json '[.kind, .converted_on, .version]' '["federation","2025-01-10",2]'
expect_eq "$(sql "SELECT action FROM audit_log WHERE entity = 'organisation'
                  AND entity_id = '$congress' ORDER BY id DESC LIMIT 1")" convert "recorded as a conversion"

as heping-clerk PATCH "/api/v1/organisations/$congress" "${JSON[@]}" \
    --data '{"version":2,"term_start":null,"term_years":null,"village_committee_election":null}'
expect_json '[.term, .next_due, .version]' '[null, null, 3]' "null clears the term"

# --- Bad input: refused, nothing half-written ---------------------------------------------------

# post STATUS CODE FIELD JQ: POST as heping-clerk a committee under 浑河湾街道 that the jq
# expression JQ spoils; refused as STATUS CODE on FIELD, nothing written.
post() {
    refused "$1" "$2" "$3" heping-clerk POST /api/v1/organisations "$(jq -cn \
        '{region: "210102001", kind: "womens_committee", host_kind: "agency", name: "妇委会"}'" | $4")"
}
post 422 invalid term_years '.term_start = "2024-01-01" | .term_years = 2'
post 422 invalid term_years '.term_start = "2024-01-01" | .term_years = 6'
post 422 required term_years '.term_start = "2024-01-01"'
post 422 required term_start '.term_years = 4'
post 422 invalid term_start '.term_start = "2024-02-30" | .term_years = 4'
post 404 not_found region '.region = "210102999"'
post 404 not_found region '.region = "210102999999"'
post 422 invalid region '.region = "21010x"'
post 422 required region 'del(.region)'
post 422 invalid kind '.kind = "club"'
post 422 required kind 'del(.kind)'
post 422 required name 'del(.name)'
post 422 required name '.name = "  "'
post 422 required host_kind 'del(.host_kind)'
post 422 invalid host_kind '.host_kind = "club"'
post 422 invalid host_kind '.kind = "federation"'
post 422 invalid kind ".region = \"$village\""
post 422 invalid kind '.kind = "womens_congress" | del(.host_kind)'
post 409 duplicate region '.region = "210102" | .kind = "federation" | del(.host_kind)'
post 409 duplicate region ".region = \"$village\" | .kind = \"womens_congress\" | del(.host_kind)"
post 422 invalid village_committee_election '.village_committee_election = "2026-01-01"'
post 422 invalid converted_on '.converted_on = "2020-01-01"'
refused 400 invalid_body - heping-clerk POST /api/v1/organisations '[1]'

patch 409 stale_version version "$committee" '{"version":1,"name":"过时的改动"}'
patch 422 required version "$committee" '{"name":"没有版本"}'
patch 422 invalid term_years "$committee" '{"version":2,"term_years":6}'
patch 422 invalid term_years "$committee" '{"version":2,"term_years":2}'
patch 422 required term_years "$committee" '{"version":2,"term_years":null}'
patch 422 required name "$committee" '{"version":2,"name":null}'
patch 422 invalid kind "$committee" '{"version":2,"kind":"federation"}'
patch 422 invalid village_committee_election "$committee" '{"version":2,"village_committee_election":"2026-01-01"}'
patch 404 not_found id 999999999 '{"version":1,"name":"不存在"}'
patch 404 not_found id abc '{"version":1,"name":"不存在"}'
version=$(sql "SELECT version FROM organisation WHERE id = $heping")
patch 422 invalid kind "$heping" "{\"version\":$version,\"kind\":\"womens_congress\"}"

refused 403 forbidden - heping-viewer POST /api/v1/organisations \
    '{"region":"210102001","kind":"womens_committee","host_kind":"agency","name":"x"}'
refused 403 forbidden - heping-viewer PATCH "/api/v1/organisations/$committee" '{"version":2,"name":"x"}'
before=$(state)
http POST /api/v1/organisations "${JSON[@]}" -H 'X-Requested-With: 1' --data '{"region":"210102001"}'
expect_error 401 unauthorized
as heping-clerk POST /api/v1/organisations "${JSON[@]}" -H 'Origin: http://evil.example' \
    --data '{"region":"210102001","kind":"womens_committee","host_kind":"agency","name":"x"}'
expect_error 403 csrf_refused
expect_eq "$(state)" "$before" "requests without a session or from another site write nothing"

# --- Lists: filters and pages -------------------------------------------------------------------

# walk USER QUERY LIMIT: GET /organisations?QUERY page by page, LIMIT rows each, following
# next_cursor; leaves "region id kind level next_due" lines in $TEST_TMP/walk and the number of
# pages in WALK_PAGES.
walk() {
    local user=$1 query=$2 limit=$3 cursor=""
    WALK_PAGES=0
    : >"$TEST_TMP/walk"
    while ((WALK_PAGES < 1000)); do
        as "$user" GET "/api/v1/organisations?$query&limit=$limit${cursor:+&cursor=$cursor}"
        if [[ $HTTP_STATUS != 200 ]]; then
            fail "page $WALK_PAGES of ?$query answered $HTTP_STATUS"
            return 0
        fi
        jq -r '.items[] | "\(.region) \(.id) \(.kind) \(.level) \(.next_due)"' <<<"$HTTP_BODY" \
            >>"$TEST_TMP/walk"
        WALK_PAGES=$((WALK_PAGES + 1))
        cursor=$(jq -r '.next_cursor // empty' <<<"$HTTP_BODY")
        [[ -n $cursor ]] || return 0
    done
    fail "?$query: no last page after 1000"
}

# expect_walk USER QUERY LIMIT SQL_CONDITION: walking the pages gives exactly the organisations
# the condition selects, in (region, id) order, none twice.
expect_walk() {
    walk "$1" "$2" "$3"
    sql "SELECT region, id FROM organisation WHERE $4 ORDER BY region, id" >"$TEST_TMP/want"
    local differences
    differences=$(cut -d' ' -f1,2 "$TEST_TMP/walk" | diff - "$TEST_TMP/want" | head -n 5 || true)
    expect_eq "$differences" "" \
        "$1: ?$2 in pages of $3 ($WALK_PAGES pages, $(wc -l <"$TEST_TMP/walk") rows) = the database"
    expect_eq "$(cut -d' ' -f2 "$TEST_TMP/walk" | sort | uniq -d)" "" "... with no row twice"
}

expect_walk heping-clerk "under=210102001" 3 "region LIKE '210102001%'"
expect_walk heping-clerk "" 200 "region LIKE '210102%'"
expect_walk heping-clerk "under=210102&kind=" 7 "region LIKE '210102%'"
expect_walk heping-clerk "kind=womens_committee" 2 "region LIKE '210102%' AND kind = 'womens_committee'"
expect_walk heping-clerk "level=township" 5 "region LIKE '210102%' AND level = 4"
expect_walk heping-clerk "due_before=2027-03-02" 4 "region LIKE '210102%' AND next_due < '2027-03-02'"
expect_walk hunhewan-clerk "kind=federation&level=village&due_before=2030-01-01" 3 \
    "region LIKE '210102001%' AND kind = 'federation' AND level = 5 AND next_due < '2030-01-01'"
expect_walk shenhe-viewer "" 50 "region LIKE '210103%'"
walk heping-viewer "kind=womens_committee&under=210102001" 1
check "the committee is on a filtered page" grep -q " $committee womens_committee " "$TEST_TMP/walk"

as heping-clerk GET "/api/v1/organisations?under=210102001&limit=1"
expect_json '.next_cursor | type' '"string"' "a full page has a next_cursor"
as heping-clerk GET "/api/v1/organisations?under=210102999&limit=1"
expect_error 404 not_found
for bad in limit=0 limit=201 limit=x kind=club level=planet due_before=2025-13-01 \
    cursor=abc cursor=210102.0 cursor=21010.5 under=123 under=21010x; do
    as heping-clerk GET "/api/v1/organisations?$bad"
    expect_error 400 invalid_parameter
done

# --- Office holders: who held what, and who took over from whom ---------------------------------

# Written straight to the tables: positions have their own endpoints.
sql "INSERT INTO person (region, name, gender, birth_date, education, political_status, id_number)
     VALUES ('210102001', '李淑芬', 'female', '1968-03-02', 'bachelor', 'cpc_member',
             CONCAT('9', LPAD($committee, 17, '0'))),
            ('210102001', '张雅琴', 'female', '1979-11-20', 'master', 'masses',
             CONCAT('8', LPAD($committee, 17, '0'))),
            ('210103', '沈河的人', 'female', '1980-01-01', 'bachelor', 'masses',
             CONCAT('7', LPAD($committee, 17, '0')))"
read -r first second outsider < <(sql "SELECT GROUP_CONCAT(id ORDER BY id_number DESC SEPARATOR ' ')
    FROM person WHERE id_number LIKE '_$(printf '%017d' "$committee")'")
position() { # PERSON ROLE START END SUCCEEDS (SQL values): prints the new position's id
    sql "INSERT INTO position (person_id, organisation_id, region, org_level, org_kind, role,
         full_time, term_start, start_date, end_date, end_reason, succeeds_id)
         VALUES ($1, $committee, '210102001', 4, 'womens_committee', '$2', TRUE, '2024-06-01',
                 '$3', $4, IF($4 IS NULL, NULL, '换届'), $5);
         SELECT LAST_INSERT_ID()"
}
old_chair=$(position "$first" chair 2019-06-01 "'2024-05-31'" NULL)
new_chair=$(position "$second" chair 2024-06-01 NULL "$old_chair")
member=$(position "$outsider" executive_member 2024-06-01 NULL NULL)
as heping-viewer GET "/api/v1/organisations/$committee"
expect_json '[.office_holders.current[] | [.position_id, .name, .role, .succeeds_id, .succeeded_by]]' \
    "[[$new_chair,\"张雅琴\",\"chair\",$old_chair,null],[$member,null,\"executive_member\",null,null]]" \
    "current holders, chair first; a person outside the jurisdiction has no name here"
expect_json '[.office_holders.past[] | [.position_id, .name, .end_date, .end_reason, .succeeded_by]]' \
    "[[$old_chair,\"李淑芬\",\"2024-05-31\",\"换届\",$new_chair]]" "the past chair and who took over"

# --- Jurisdiction: the sibling county 沈河区 sees none of 和平区, and the other way round ---------

create shenhe-clerk '{"region":"210103","kind":"womens_committee","host_kind":"social_org",
    "name":"沈河区某协会妇委会"}'
shenhe_committee=$CREATED
as heping-clerk GET "/api/v1/organisations/$shenhe_committee"
expect_error 404 not_found
as shenhe-viewer GET "/api/v1/organisations/$shenhe_committee"
expect_status 200 "沈河区 sees its own"

# Known ids and their neighbours: each answers as the database says it lies.
for id in "$heping" "$committee" "$county_committee" "$congress" "$shenhe_committee"; do
    [[ -n $id ]] || continue
    for guess in $((id - 1)) "$id" $((id + 1)); do
        region=$(sql "SELECT region FROM organisation WHERE id = $guess")
        want=404
        [[ $region == 210103* ]] && want=200
        as shenhe-clerk GET "/api/v1/organisations/$guess"
        expect_status "$want" "shenhe-clerk GET id $guess (${region:-none}) answers $want"
        if [[ $want == 404 ]]; then
            expect_json '.error | [.code, .field]' '["not_found","id"]'
        fi
    done
done
as hunhewan-clerk GET "/api/v1/organisations/$heping"
expect_error 404 not_found
as liaoning-admin GET "/api/v1/organisations/$committee"
expect_status 200 "the province sees the county's"

walk shenhe-clerk "" 200
expect_eq "$(awk '!/^210103/' "$TEST_TMP/walk")" "" "沈河区's list shows nothing of 和平区"
walk heping-clerk "" 200
expect_eq "$(awk '!/^210102/' "$TEST_TMP/walk")" "" "和平区's list shows nothing of 沈河区"
as shenhe-clerk GET "/api/v1/organisations?under=210102"
expect_error 404 not_found
as shenhe-clerk GET "/api/v1/organisations?under=210102001&kind=womens_committee"
expect_error 404 not_found
as hunhewan-clerk GET "/api/v1/organisations?under=210102"
expect_error 404 not_found

# Writes across the border: 404, as for what does not exist, and nothing written.
for id in "$heping" "$committee" "$county_committee" "$congress"; do
    refused 404 not_found id shenhe-clerk PATCH "/api/v1/organisations/$id" '{"version":1,"name":"越界"}'
done
for region in 210102 210102001 "$village"; do
    refused 404 not_found region shenhe-clerk POST /api/v1/organisations \
        "{\"region\":\"$region\",\"kind\":\"federation\",\"name\":\"越界\"}"
done
refused 404 not_found region hunhewan-clerk POST /api/v1/organisations \
    '{"region":"210102","kind":"womens_committee","host_kind":"agency","name":"越界"}'
refused 404 not_found id heping-clerk PATCH "/api/v1/organisations/$shenhe_committee" \
    '{"version":1,"name":"越界"}'

# The community added for this test, if one was, goes again (with what was made in it), so the
# division table is as the stack imported it for the tests after this one.
if [[ -n $added_village ]]; then
    sql "DELETE FROM organisation WHERE region = '$added_village';
         DELETE FROM region WHERE code = '$added_village'"
fi

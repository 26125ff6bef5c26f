#!/usr/bin/env bash
# Cadres through the API: entering a person with her first position, reading, changing, more
# positions, succession, ending, training; every refusal of bad input leaving the database as it
# was; masking of personal data by role; and the jurisdiction between the sibling counties
# 和平区 (210102) and 沈河区 (210103) for every cadre endpoint. The roster list has roster.sh.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"

for user in heping-clerk heping-viewer shenhe-clerk shenhe-viewer hunhewan-clerk; do
    login "$user"
    expect_status 201 "$user logs in"
done
tomorrow=$(date -u -d tomorrow +%F)

township=$(make_org 210102001 4 '浑河湾街道机关妇委会' 2023-03-01)
county=$(make_org 210102 3 '和平区教育局妇委会')
shenhe=$(make_org 210103005 4 '滨河街道机关妇委会' 2022-06-01)

# --- Entering and reading -----------------------------------------------------------------------

before_audit=$(sql "SELECT COALESCE(MAX(id), 0) FROM audit_log")
body=$(cadre_body 李秀梅 1985-06-15 "$township" chair '.mobile = "13812345678"
    | .political_status = "cpc_member" | .occupation = "teacher"
    | .position.full_time = true | .position.in_two_committees = true')
id_number=$(jq -r .id_number <<<"$body")
create_cadre heping-clerk "$body"
li=$CADRE
li_chair=$POSITION
expect_header Location "^/api/v1/cadres/$li\$"
expect_json '[.region, .name, .gender, .birth_date, .ethnicity, .education, .political_status,
    .id_number, .mobile, .occupation, .last_training_on, .training_due, .version]' \
    "[\"210102001\",\"李秀梅\",\"female\",\"1985-06-15\",\"汉族\",\"bachelor\",\"cpc_member\",
      \"$id_number\",\"13812345678\",\"teacher\",null,true,1]" \
    "the new cadre comes back whole, on the roll in her organisation's region"
expect_json '.positions | map([.organisation_id, .organisation_name, .role, .full_time,
    .in_two_committees, .term_start, .start_date, .end_date, .succeeds_id, .version])' \
    "[[$township,\"浑河湾街道机关妇委会\",\"chair\",true,true,\"2023-03-01\",\"2024-01-15\",null,null,1]]" \
    "her position belongs to the organisation's current term"
expect_json '.age' "$(($(date -u +%Y) - 1985 - (10#$(date -u +%m%d) < 615 ? 1 : 0)))" "age from the birth date"
expect_eq "$(sql "SELECT region, org_level, org_kind FROM position WHERE id = $li_chair")" \
    "210102001 4 womens_committee" "the position repeats the organisation's region, level and kind"
expect_eq "$(sql "SELECT entity, action, region, actor, before_data IS NULL,
                  JSON_VALUE(after_data, '\$.id_number') FROM audit_log WHERE id > $before_audit
                  ORDER BY id" | tr '\n' '|')" \
    "person create 210102001 heping-clerk 1 $id_number|position create 210102001 heping-clerk 1 NULL|" \
    "the person and her position are in the audit log, written with them"

as heping-clerk GET "/api/v1/cadres/$li"
expect_status 200 "a clerk reads the cadre"
expect_json '[.id_number, .mobile]' "[\"$id_number\",\"13812345678\"]" "a clerk sees personal data in full"
as heping-viewer GET "/api/v1/cadres/$li"
expect_status 200 "a viewer reads the cadre"
expect_json '[.id_number, .mobile]' "[\"${id_number:0:6}********${id_number:14:4}\",\"138****5678\"]" \
    "a viewer sees the ID and mobile numbers masked"
as hunhewan-clerk GET "/api/v1/cadres/$li"
expect_status 200 "the township's clerk reads a cadre of her township"

# An X check character, typed in lower case, is stored upper case; no mobile is fine.
x_id=$(new_id_number 1949-12-31 110105)
while [[ $x_id != *X ]]; do x_id=$(new_id_number 1949-12-31 110105); done
create_cadre heping-clerk "$(cadre_body 王淑珍 1949-12-31 "$county" executive_member \
    ".id_number = \"${x_id,,}\" | del(.mobile) | .ethnicity = \"满族\"")"
wang=$CADRE
expect_json '[.id_number, .mobile, .ethnicity, .positions[0].term_start]' \
    "[\"$x_id\",null,\"满族\",null]" "an X check character in lower case is accepted and stored as X"

# --- Bad input: refused, nothing written ------------------------------------------------------

good=$(cadre_body 赵敏 1990-03-08 "$township" vice_chair)
good_id=$(jq -r .id_number <<<"$good")
wrong_check=${good_id:0:17}$(((${good_id:17:1} + 1) % 10))
[[ ${good_id:17:1} == X ]] && wrong_check=${good_id:0:17}0
refused 422 invalid id_number heping-clerk POST /api/v1/cadres \
    "$(jq -c --arg id "$wrong_check" '.id_number = $id' <<<"$good")"
refused 422 invalid id_number heping-clerk POST /api/v1/cadres "$(jq -c '.id_number = "2101021990030800"' <<<"$good")"
future_id=$(new_id_number 2099-12-31)
refused 422 invalid birth_date heping-clerk POST /api/v1/cadres \
    "$(jq -c --arg id "$future_id" '.id_number = $id | .birth_date = "2099-12-31"' <<<"$good")"
expect_json .error.message '"birth_date: must not be in the future"'
refused 422 invalid birth_date heping-clerk POST /api/v1/cadres "$(jq -c '.birth_date = "1990-03-09"' <<<"$good")"
expect_json .error.message '"birth_date: disagrees with the ID number, which says 1990-03-08"'
refused 422 invalid birth_date heping-clerk POST /api/v1/cadres "$(jq -c '.birth_date = "1990-02-30"' <<<"$good")"
refused 422 invalid role heping-clerk POST /api/v1/cadres "$(jq -c '.position.role = "president"' <<<"$good")"
refused 422 required role heping-clerk POST /api/v1/cadres "$(jq -c 'del(.position.role)' <<<"$good")"
refused 422 required position heping-clerk POST /api/v1/cadres "$(jq -c 'del(.position)' <<<"$good")"
refused 422 invalid start_date heping-clerk POST /api/v1/cadres \
    "$(jq -c --arg d "$tomorrow" '.position.start_date = $d' <<<"$good")"
refused 422 invalid gender heping-clerk POST /api/v1/cadres "$(jq -c '.gender = "f"' <<<"$good")"
refused 422 invalid education heping-clerk POST /api/v1/cadres "$(jq -c '.education = "phd"' <<<"$good")"
refused 422 invalid mobile heping-clerk POST /api/v1/cadres "$(jq -c '.mobile = "23812345678"' <<<"$good")"
refused 422 invalid mobile heping-clerk POST /api/v1/cadres "$(jq -c '.mobile = "1381234567"' <<<"$good")"
refused 422 invalid name heping-clerk POST /api/v1/cadres "$(jq -c '.name = 7' <<<"$good")"
refused 404 not_found organisation_id heping-clerk POST /api/v1/cadres \
    "$(jq -c --argjson o "$shenhe" '.position.organisation_id = $o' <<<"$good")"
refused 404 not_found organisation_id heping-clerk POST /api/v1/cadres \
    "$(jq -c '.position.organisation_id = 999999999' <<<"$good")"
refused 404 not_found organisation_id hunhewan-clerk POST /api/v1/cadres \
    "$(jq -c --argjson o "$county" '.position.organisation_id = $o' <<<"$good")"
refused 409 duplicate id_number heping-clerk POST /api/v1/cadres \
    "$(jq -c --arg id "$id_number" '.id_number = $id | .birth_date = "1985-06-15"' <<<"$good")"
refused 409 duplicate id_number shenhe-clerk POST /api/v1/cadres \
    "$(jq -c --arg id "$id_number" --argjson o "$shenhe" '.id_number = $id
        | .birth_date = "1985-06-15" | .position.organisation_id = $o' <<<"$good")"
refused 403 forbidden - heping-viewer POST /api/v1/cadres "$good"
refused 400 invalid_body - heping-clerk POST /api/v1/cadres '[1]'

create_cadre heping-clerk "$good"
zhao=$CADRE
zhao_position=$POSITION

# --- Changing ---------------------------------------------------------------------------------

before_audit=$(sql "SELECT MAX(id) FROM audit_log")
as heping-clerk PATCH "/api/v1/cadres/$zhao" "${JSON[@]}" \
    --data '{"version":1,"name":"赵敏华","mobile":null,"education":"master"}'
expect_status 200 "a clerk changes a cadre"
expect_json '[.name, .mobile, .education, .version, .birth_date]' '["赵敏华",null,"master",2,"1990-03-08"]' \
    "the change is kept, the rest as it was"
expect_eq "$(sql "SELECT action, JSON_VALUE(before_data, '\$.name'), JSON_VALUE(after_data, '\$.name'),
                  JSON_VALUE(after_data, '\$.version') FROM audit_log
                  WHERE id > $before_audit AND entity = 'person' AND entity_id = '$zhao'")" \
    "update 赵敏 赵敏华 2" "the change is in the audit log with before and after"
refused 409 stale_version version heping-clerk PATCH "/api/v1/cadres/$zhao" '{"version":1,"name":"赵某"}'
refused 422 required version heping-clerk PATCH "/api/v1/cadres/$zhao" '{"name":"赵某"}'
refused 422 invalid birth_date heping-clerk PATCH "/api/v1/cadres/$zhao" '{"version":2,"birth_date":"1990-03-07"}'
refused 422 invalid id_number heping-clerk PATCH "/api/v1/cadres/$zhao" \
    "{\"version\":2,\"id_number\":\"$wrong_check\"}"
refused 409 duplicate id_number heping-clerk PATCH "/api/v1/cadres/$zhao" \
    "{\"version\":2,\"id_number\":\"$id_number\",\"birth_date\":\"1985-06-15\"}"
refused 422 invalid birth_date heping-clerk PATCH "/api/v1/cadres/$zhao" \
    "{\"version\":2,\"birth_date\":\"$tomorrow\"}"
refused 404 not_found id heping-clerk PATCH /api/v1/cadres/999999999 '{"version":1,"name":"x"}'
refused 403 forbidden - heping-viewer PATCH "/api/v1/cadres/$zhao" '{"version":2,"name":"赵某"}'
refused 400 invalid_parameter id heping-clerk PATCH /api/v1/cadres/abc '{"version":2}'
# Both the ID number and the birth date at once, agreeing: accepted.
new_id=$(new_id_number 1990-03-07)
as heping-clerk PATCH "/api/v1/cadres/$zhao" "${JSON[@]}" \
    --data "{\"version\":2,\"id_number\":\"$new_id\",\"birth_date\":\"1990-03-07\"}"
expect_status 200 "ID number and birth date change together"
expect_json '[.id_number, .birth_date, .version]' "[\"$new_id\",\"1990-03-07\",3]"

# --- More positions, succession, ending ------------------------------------------------------

as heping-clerk POST "/api/v1/cadres/$li/positions" "${JSON[@]}" \
    --data "{\"organisation_id\":$county,\"role\":\"executive_member\",\"start_date\":\"2024-05-01\"}"
expect_status 201 "a cadre gets a second position"
li_member=$(jq -r .id <<<"$HTTP_BODY")
expect_json '[.person_id, .organisation_id, .role, .full_time, .term_start, .end_date, .version]' \
    "[$li,$county,\"executive_member\",false,null,null,1]"

# 赵敏 succeeds 李秀梅 as chair: the old chair ends on the new one's start, in one transaction.
before_audit=$(sql "SELECT MAX(id) FROM audit_log")
refused 422 invalid succeeds_id heping-clerk POST "/api/v1/cadres/$zhao/positions" \
    "{\"organisation_id\":$county,\"role\":\"chair\",\"start_date\":\"2025-01-01\",\"succeeds_id\":$li_chair}"
refused 422 invalid start_date heping-clerk POST "/api/v1/cadres/$zhao/positions" \
    "{\"organisation_id\":$township,\"role\":\"chair\",\"start_date\":\"2024-01-14\",\"succeeds_id\":$li_chair}"
refused 404 not_found succeeds_id heping-clerk POST "/api/v1/cadres/$zhao/positions" \
    "{\"organisation_id\":$township,\"role\":\"chair\",\"start_date\":\"2025-01-01\",\"succeeds_id\":999999999}"
as heping-clerk POST "/api/v1/cadres/$zhao/positions" "${JSON[@]}" \
    --data "{\"organisation_id\":$township,\"role\":\"chair\",\"start_date\":\"2025-01-01\",\"succeeds_id\":$li_chair}"
expect_status 201 "a new chair succeeds the old one"
zhao_chair=$(jq -r .id <<<"$HTTP_BODY")
expect_json '[.succeeds_id, .term_start, .end_date]' "[$li_chair,\"2023-03-01\",null]"
expect_eq "$(sql "SELECT entity, entity_id, action, JSON_VALUE(before_data, '\$.end_date'),
                  JSON_VALUE(after_data, '\$.end_date'), JSON_VALUE(after_data, '\$.end_reason')
                  FROM audit_log WHERE id > $before_audit ORDER BY id" | tr '\n' '|')" \
    "position $li_chair end NULL 2025-01-01 succeeded|position $zhao_chair create NULL NULL NULL|" \
    "the succession ends the old position and adds the new one, both in the audit log"
as heping-viewer GET "/api/v1/cadres/$li"
expect_json '.positions | map([.id, .role, .end_date, .end_reason])' \
    "[[$li_chair,\"chair\",\"2025-01-01\",\"succeeded\"],[$li_member,\"executive_member\",null,null]]" \
    "the succeeded position stays in her history, ended"
refused 409 already_ended succeeds_id heping-clerk POST "/api/v1/cadres/$wang/positions" \
    "{\"organisation_id\":$township,\"role\":\"chair\",\"start_date\":\"2025-02-01\",\"succeeds_id\":$li_chair}"

# Ending a position.
refused 409 stale_version version heping-clerk POST "/api/v1/positions/$zhao_position/end" \
    '{"version":2,"end_date":"2024-12-31","reason":"调任"}'
refused 422 invalid end_date heping-clerk POST "/api/v1/positions/$zhao_position/end" \
    '{"version":1,"end_date":"2024-01-14","reason":"调任"}'
refused 422 invalid end_date heping-clerk POST "/api/v1/positions/$zhao_position/end" \
    "{\"version\":1,\"end_date\":\"$tomorrow\",\"reason\":\"调任\"}"
refused 422 required reason heping-clerk POST "/api/v1/positions/$zhao_position/end" \
    '{"version":1,"end_date":"2024-12-31"}'
refused 403 forbidden - heping-viewer POST "/api/v1/positions/$zhao_position/end" \
    '{"version":1,"end_date":"2024-12-31","reason":"调任"}'
as heping-clerk POST "/api/v1/positions/$zhao_position/end" "${JSON[@]}" \
    --data '{"version":1,"end_date":"2024-12-31","reason":"调任"}'
expect_status 200 "a clerk ends a position"
expect_json '[.end_date, .end_reason, .version]' '["2024-12-31","调任",2]'
refused 409 already_ended id heping-clerk POST "/api/v1/positions/$zhao_position/end" \
    '{"version":2,"end_date":"2024-12-31","reason":"again"}'
refused 404 not_found id heping-clerk POST /api/v1/positions/999999999/end \
    '{"version":1,"end_date":"2024-12-31","reason":"x"}'
expect_eq "$(sql "SELECT COUNT(*), SUM(end_date IS NOT NULL) FROM position WHERE person_id IN ($li, $zhao)")" \
    "4 2" "ended positions are kept, never deleted"
refused 404 not_found id heping-clerk POST /api/v1/cadres/999999999/positions \
    "{\"organisation_id\":$township,\"role\":\"chair\",\"start_date\":\"2025-01-01\"}"
refused 404 not_found organisation_id heping-clerk POST "/api/v1/cadres/$li/positions" \
    "{\"organisation_id\":$shenhe,\"role\":\"chair\",\"start_date\":\"2025-01-01\"}"
refused 422 invalid role heping-clerk POST "/api/v1/cadres/$li/positions" \
    "{\"organisation_id\":$county,\"role\":\"boss\",\"start_date\":\"2025-01-01\"}"

# --- Training ---------------------------------------------------------------------------------

before_audit=$(sql "SELECT MAX(id) FROM audit_log")
as heping-clerk POST "/api/v1/cadres/$li/training" "${JSON[@]}" \
    --data '{"held_on":"2025-06-10","course":"基层妇联干部履职能力培训","hours":12.5,"organiser_level":"city"}'
expect_status 201 "a clerk records a training"
expect_json '[.person_id, .held_on, .course, .hours, .organiser_level]' \
    "[$li,\"2025-06-10\",\"基层妇联干部履职能力培训\",12.5,\"city\"]"
expect_eq "$(sql "SELECT entity, action FROM audit_log WHERE id > $before_audit ORDER BY id" | tr '\n' '|')" \
    "training create|person update|" "the training and the person's new last training date are audited"
as heping-clerk POST "/api/v1/cadres/$li/training" "${JSON[@]}" \
    --data '{"held_on":"2024-02-01","course":"older","hours":2,"organiser_level":"county"}'
expect_status 201 "an older training is recorded too"
as heping-viewer GET "/api/v1/cadres/$li"
expect_json '[.last_training_on, .version, (.training | map(.held_on))]' '["2025-06-10",1,["2025-06-10","2024-02-01"]]' \
    "the last training date is the latest; the person's version is left alone"
expect_json .training_due "$([[ 2025-06-10 < $(date -u -d '2 years ago' +%F) ]] && echo true || echo false)"
for bad in '"hours":0' '"hours":1000.1' '"hours":2.55' '"hours":"2"' '"hours":-1'; do
    refused 422 invalid hours heping-clerk POST "/api/v1/cadres/$li/training" \
        "{\"held_on\":\"2025-01-01\",\"course\":\"x\",$bad,\"organiser_level\":\"city\"}"
done
refused 422 invalid held_on heping-clerk POST "/api/v1/cadres/$li/training" \
    "{\"held_on\":\"$tomorrow\",\"course\":\"x\",\"hours\":1,\"organiser_level\":\"city\"}"
refused 422 invalid organiser_level heping-clerk POST "/api/v1/cadres/$li/training" \
    '{"held_on":"2025-01-01","course":"x","hours":1,"organiser_level":"nation"}'
refused 422 required course heping-clerk POST "/api/v1/cadres/$li/training" \
    '{"held_on":"2025-01-01","hours":1,"organiser_level":"city"}'
refused 404 not_found id heping-clerk POST /api/v1/cadres/999999999/training \
    '{"held_on":"2025-01-01","course":"x","hours":1,"organiser_level":"city"}'
refused 403 forbidden - heping-viewer POST "/api/v1/cadres/$li/training" \
    '{"held_on":"2025-01-01","course":"x","hours":1,"organiser_level":"city"}'

# --- Jurisdiction: 沈河区 never sees or changes 和平区's cadres --------------------------------

create_cadre shenhe-clerk "$(cadre_body 林芳 1988-08-08 "$shenhe" chair)"
lin=$CADRE
lin_position=$POSITION
as shenhe-clerk GET "/api/v1/cadres/$lin"
expect_status 200 "沈河区's clerk reads her own cadre"
as heping-clerk GET "/api/v1/cadres/$lin"
expect_error 404 not_found

ids="$li $zhao $wang $((li - 1)) $((li + 1)) $((zhao + 1)) $((lin - 1)) 1 2 3"
for id in $ids; do
    [[ $id == "$lin" ]] && continue
    [[ -n $(sql "SELECT id FROM person WHERE id = $id AND region LIKE '210103%'") ]] && continue
    for user in shenhe-clerk shenhe-viewer; do
        as "$user" GET "/api/v1/cadres/$id"
        expect_error 404 not_found
    done
    refused 404 not_found id shenhe-clerk PATCH "/api/v1/cadres/$id" '{"version":1,"name":"x"}'
    refused 404 not_found id shenhe-clerk POST "/api/v1/cadres/$id/positions" \
        "{\"organisation_id\":$shenhe,\"role\":\"chair\",\"start_date\":\"2025-01-01\"}"
    refused 404 not_found id shenhe-clerk POST "/api/v1/cadres/$id/training" \
        '{"held_on":"2025-01-01","course":"x","hours":1,"organiser_level":"city"}'
done
for id in "$li_chair" "$li_member" "$zhao_chair" $((lin_position - 1)); do
    [[ -n $(sql "SELECT id FROM position WHERE id = $id AND region LIKE '210103%'") ]] && continue
    refused 404 not_found id shenhe-clerk POST "/api/v1/positions/$id/end" \
        '{"version":1,"end_date":"2025-02-01","reason":"x"}'
    refused 404 not_found succeeds_id shenhe-clerk POST "/api/v1/cadres/$lin/positions" \
        "{\"organisation_id\":$shenhe,\"role\":\"chair\",\"start_date\":\"2025-01-01\",\"succeeds_id\":$id}"
done
refused 404 not_found organisation_id shenhe-clerk POST "/api/v1/cadres/$lin/positions" \
    "{\"organisation_id\":$township,\"role\":\"chair\",\"start_date\":\"2025-01-01\"}"
refused 404 not_found organisation_id shenhe-clerk POST /api/v1/cadres \
    "$(cadre_body 某某 1980-01-01 "$township" chair)"
# The other way round, and a township clerk against her county's cadres.
refused 404 not_found id heping-clerk PATCH "/api/v1/cadres/$lin" '{"version":1,"name":"x"}'
refused 404 not_found id heping-clerk POST "/api/v1/positions/$lin_position/end" \
    '{"version":1,"end_date":"2025-02-01","reason":"x"}'
refused 404 not_found id hunhewan-clerk PATCH "/api/v1/cadres/$wang" '{"version":1,"name":"x"}'
refused 404 not_found id hunhewan-clerk POST "/api/v1/positions/$li_member/end" \
    '{"version":1,"end_date":"2025-02-01","reason":"x"}'
as hunhewan-clerk GET "/api/v1/cadres/$li"
expect_json '.positions | map(.id)' "[$li_chair]" \
    "a township clerk sees only the positions in her township of a cadre she may see"

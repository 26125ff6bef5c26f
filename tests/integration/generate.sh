#!/usr/bin/env bash
# jiceng generate on the test stack's regions under 沈阳市 (2101): one federation or congress
# per region, cadres per level in range, valid and consistent GB 11643 id numbers, history
# links that hold, new organisations with valid credit codes, the same rows for the same seed,
# a refusal to write over data, and an API that still answers. It leaves the stack as the
# fixture made it (seed 1, today).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

# A fixed date: two runs compare equal even when midnight passes between them.
AS_OF=2026-06-01
UNDER=2101

# generate ARGS...: jiceng generate; its output in $TEST_TMP/generate.out, and in the stack's
# generate.log too, where `stack-fixture down` looks for sanitizer reports.
generate() {
    local rc=0
    "$JICENG_BIN" --config "$CONFIG" generate "$@" >"$TEST_TMP/generate.out" 2>&1 || rc=$?
    cat "$TEST_TMP/generate.out" >>"$LOG_DIR/generate.log"
    return "$rc"
}

# checksum: the generated rows under UNDER without their ids, which differ from run to run:
# references are followed to the id number or region they lead to.
checksum() {
    db_admin --skip-column-names <<EOF
SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', region, level, kind, name, converted_on, term_start,
    term_years, village_committee_election)))
  FROM organisation WHERE region LIKE '$UNDER%';
SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', region, name, gender, birth_date, ethnicity, education,
    political_status, id_number, mobile, occupation, last_training_on)))
  FROM person WHERE region LIKE '$UNDER%';
SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', p.id_number, o.region, s.region, s.org_level,
    s.org_kind, s.role, s.full_time, s.in_two_committees, s.term_start, s.start_date, s.end_date,
    s.end_reason, pp.id_number)))
  FROM position s JOIN person p ON p.id = s.person_id JOIN organisation o ON o.id = s.organisation_id
  LEFT JOIN position sp ON sp.id = s.succeeds_id LEFT JOIN person pp ON pp.id = sp.person_id
  WHERE s.region LIKE '$UNDER%';
SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', p.id_number, t.region, t.held_on, t.course, t.hours,
    t.organiser_level)))
  FROM training t JOIN person p ON p.id = t.person_id WHERE t.region LIKE '$UNDER%';
SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', region, name, credit_code, kind, sector, employees,
    female_employees, party_rating, stable_operation, stable_female_workforce, suitable_chair)))
  FROM new_org WHERE region LIKE '$UNDER%';
EOF
}

# ---------------------------------------------------------------------------------------------
# A run, and what it made

# --replace: other tests may have added organisations and cadres under 2101.
check "generate --replace runs" generate --under $UNDER --seed 1 --as-of $AS_OF --replace
check "it reports rows and seconds per phase" \
    grep -Eq '^people +[0-9]+ +[0-9.]+$' "$TEST_TMP/generate.out"
# The statistics' counts per county, which the run makes again from the tables at its end
# instead of row by row (migration 006), equal a recount.
for keep in county:6 township:9; do
    expect_eq "$(sql "SET @jurisdiction = '';
        SELECT COUNT(*) FROM (SELECT k, metric FROM (
            SELECT ${keep%:*} AS k, metric, n FROM stat_${keep%:*}
            UNION ALL SELECT LEFT(region, ${keep#*:}), metric, -n FROM my_stat_recount) d
        GROUP BY k, metric HAVING SUM(n) <> 0) x")" 0 "the statistics' counts per ${keep%:*} equal a recount"
done

regions=$(sql "SELECT COUNT(*) FROM region WHERE code LIKE '$UNDER%'")
expect_eq "$(sql "SELECT COUNT(*) FROM region r JOIN organisation o ON o.federation_of = r.code
    WHERE r.code LIKE '$UNDER%'")" "$regions" "every region under $UNDER has its federation or congress"
expect_eq "$(sql "SELECT COUNT(*) FROM organisation WHERE region LIKE '$UNDER%'")" "$regions" \
    "and there is nothing else"
expect_eq "$(sql "SELECT COUNT(*) FROM organisation WHERE region NOT LIKE '21%'")" 0 \
    "nothing was made outside the prefix"
check "about one village in ten has a women's congress" test "$(sql "
    SELECT SUM(kind = 'womens_congress') BETWEEN 0.05 * COUNT(*) AND 0.15 * COUNT(*)
    FROM organisation WHERE region LIKE '$UNDER%' AND level = 5 AND name NOT LIKE '%社区%'")" = 1
check "some village federations were converted from a congress" test "$(sql "
    SELECT COUNT(*) FROM organisation WHERE region LIKE '$UNDER%' AND converted_on IS NOT NULL
    AND kind = 'federation' AND level = 5")" -gt 0
expect_eq "$(sql "SELECT COUNT(*) FROM organisation WHERE region LIKE '$UNDER%' AND
    (term_start > '$AS_OF' OR term_start <= '$AS_OF' - INTERVAL 5 YEAR OR term_years NOT IN (3, 5)
     OR (level = 5) <> (village_committee_election IS NOT NULL))")" 0 \
    "terms of 3 or 5 years began in the last five years; villages carry their election date"

# Current office holders per organisation, by level.
expect_eq "$(sql "SELECT COUNT(*) FROM organisation o
    JOIN (SELECT organisation_id, COUNT(*) n FROM position WHERE current GROUP BY organisation_id) c
      ON c.organisation_id = o.id
    WHERE o.region LIKE '$UNDER%' AND NOT CASE o.level WHEN 5 THEN n BETWEEN 8 AND 12
      WHEN 2 THEN n BETWEEN 20 AND 30 ELSE n BETWEEN 20 AND 40 END")" 0 \
    "cadres per organisation: city 20-30, county and township 20-40, village 8-12"
check "about 10 per village on average" test "$(sql "SELECT ROUND(COUNT(*) / COUNT(DISTINCT
    organisation_id)) FROM position WHERE region LIKE '$UNDER%' AND current AND org_level = 5")" = 10
expect_eq "$(sql "SELECT COUNT(*) FROM organisation o WHERE o.region LIKE '$UNDER%' AND
    (SELECT COUNT(*) FROM position p WHERE p.organisation_id = o.id AND p.current
     AND p.role IN ('chair', 'congress_director')) <> 1")" 0 \
    "every organisation has exactly one chair (a congress: one director)"
check "nearly every village chair sits on the two committees" test "$(sql "
    SELECT SUM(in_two_committees) BETWEEN 0.95 * COUNT(*) AND COUNT(*) - 1 FROM position
    WHERE region LIKE '$UNDER%' AND org_level = 5 AND current
    AND role IN ('chair', 'congress_director')")" = 1
expect_eq "$(sql "SELECT COUNT(*) FROM position WHERE region LIKE '$UNDER%' AND org_level < 5
    AND in_two_committees")" 0 "the two committees are a village's"
check "vice chairs full and part time, standing and executive members" test "$(sql "
    SELECT COUNT(DISTINCT role, full_time) FROM position WHERE region LIKE '$UNDER%'
    AND role IN ('vice_chair', 'standing_member', 'executive_member')")" -ge 4

# History: each link leads to an ended position of the same office, ended the day before.
check "some positions ended, and their successors name them" test "$(sql "
    SELECT COUNT(*) FROM position WHERE region LIKE '$UNDER%' AND succeeds_id IS NOT NULL")" -gt 10
expect_eq "$(sql "SELECT COUNT(*) FROM position n JOIN position p ON p.id = n.succeeds_id
    WHERE n.region LIKE '$UNDER%' AND NOT (p.organisation_id = n.organisation_id
    AND p.role = n.role AND p.end_date = n.start_date - INTERVAL 1 DAY AND n.current)")" 0 \
    "a successor holds the office her predecessor left the day before"
expect_eq "$(sql "SELECT COUNT(*) FROM position p WHERE p.region LIKE '$UNDER%' AND NOT p.current
    AND NOT EXISTS (SELECT 1 FROM position n WHERE n.succeeds_id = p.id)")" 0 \
    "every ended position has its successor"

# People and training.
people=$(sql "SELECT COUNT(*) FROM person WHERE region LIKE '$UNDER%'")
expect_eq "$(sql "SELECT COUNT(*) FROM position WHERE region LIKE '$UNDER%'")" "$people" \
    "one position per person"
expect_eq "$(sql "SELECT COUNT(*) FROM person s WHERE region LIKE '$UNDER%' AND NOT
    (last_training_on <=> (SELECT MAX(held_on) FROM training t WHERE t.person_id = s.id))")" 0 \
    "last_training_on is the latest training"
check "most were trained within two years" test "$(sql "
    SELECT SUM(last_training_on > '$AS_OF' - INTERVAL 2 YEAR) > 0.7 * COUNT(*)
    FROM person WHERE region LIKE '$UNDER%'")" = 1
check "some never were: training due" test "$(sql "
    SELECT COUNT(*) FROM person WHERE region LIKE '$UNDER%' AND last_training_on IS NULL")" -gt 0
expect_eq "$(sql "SELECT COUNT(*) FROM training WHERE region LIKE '$UNDER%' AND
    (held_on > '$AS_OF' OR organiser_level NOT BETWEEN 1 AND 5)")" 0 \
    "training lies in the past, organised at a known level"
check "education, party membership and occupation vary" test "$(sql "
    SELECT COUNT(DISTINCT education) >= 6 AND COUNT(DISTINCT political_status) >= 4
    AND COUNT(DISTINCT occupation) = 9 AND COUNT(DISTINCT ethnicity) >= 3
    FROM person WHERE region LIKE '$UNDER%'")" = 1

# New organisations: under townships and counties only, about 45 each, valid credit codes (the
# check character by weights 3^(i-1) mod 31, computed otherwise than the generator does),
# unique, and female employees within the total.
new_orgs=$(sql "SELECT COUNT(*) FROM new_org WHERE region LIKE '$UNDER%'")
places=$(sql "SELECT COUNT(*) FROM region WHERE code LIKE '$UNDER%' AND level IN (3, 4)")
check "about 45 new organisations per township and county" \
    test $((new_orgs > 35 * places && new_orgs < 55 * places)) = 1
expect_eq "$(sql "SELECT COUNT(*) FROM new_org n JOIN region r ON r.code = n.region
    WHERE n.region LIKE '$UNDER%' AND r.level IN (3, 4)")" "$new_orgs" "registered under townships and counties"
expect_eq "$(sql "SELECT COUNT(*) FROM new_org n WHERE region LIKE '$UNDER%' AND RIGHT(credit_code, 1)
    <> SUBSTR('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + MOD(31 - MOD((SELECT SUM((LOCATE(
    SUBSTR(n.credit_code, q.seq, 1), '0123456789ABCDEFGHJKLMNPQRTUWXY') - 1)
    * MOD(POW(3, q.seq - 1), 31)) FROM seq_1_to_17 q), 31), 31), 1)")" 0 \
    "every credit code passes the GB 32100 check"
expect_eq "$(sql "SELECT COUNT(*) FROM new_org WHERE region LIKE '$UNDER%' AND (female_employees > employees
    OR SUBSTR(credit_code, 3, 6) <> LEFT(region, 6) OR coverage <> 'none')")" 0 \
    "female employees within the total, the county in the code, none covered yet"
check "ratings, kinds and recommendations vary" test "$(sql "
    SELECT COUNT(DISTINCT party_rating) = 3 AND COUNT(DISTINCT kind) = 2
    AND COUNT(DISTINCT work_order MOD 3) = 3 FROM new_org WHERE region LIKE '$UNDER%'")" = 1

# ID numbers: the check character by weights 2^(18-i) mod 11 (= 7 9 10 5 8 4 2 1 6 3 7 9 10 5
# 8 4 2, computed otherwise than the generator does), the birth date, the county's area code.
expect_eq "$(sql "SELECT COUNT(*) FROM person s WHERE region LIKE '$UNDER%' AND RIGHT(id_number, 1)
    <> SUBSTR('10X98765432', 1 + (SELECT SUM(SUBSTR(s.id_number, q.seq, 1)
    * MOD(POW(2, 18 - q.seq), 11)) FROM seq_1_to_17 q) % 11, 1)")" 0 \
    "every id number passes the GB 11643 check"
expect_eq "$(sql "SELECT COUNT(*) FROM person WHERE region LIKE '$UNDER%' AND
    (SUBSTR(id_number, 7, 8) <> DATE_FORMAT(birth_date, '%Y%m%d')
     OR LEFT(id_number, 6) <> RPAD(LEFT(region, 6), 6, '0')
     OR SUBSTR(id_number, 17, 1) % 2 <> 0 OR gender <> 'female')")" 0 \
    "id numbers hold the birth date, the county and the gender"
expect_eq "$(sql "SELECT COUNT(DISTINCT id_number) FROM person WHERE region LIKE '$UNDER%'")" \
    "$people" "id numbers are unique"
expect_eq "$(sql "SELECT COUNT(*) FROM person WHERE region LIKE '$UNDER%' AND
    (mobile NOT REGEXP '^1[3-9][0-9]{9}\$' OR birth_date > '$AS_OF' - INTERVAL 18 YEAR)")" 0 \
    "mobile numbers of 11 digits, no minors"

audit=$(sql "SELECT CONCAT_WS(' ', actor, region, action, JSON_VALUE(after_data, '\$.people'),
    JSON_VALUE(after_data, '\$.seed')) FROM audit_log ORDER BY id DESC LIMIT 1")
expect_eq "$audit" "jiceng generate $UNDER generate $people 1" "the run is in the audit log"

# ---------------------------------------------------------------------------------------------
# Determinism and refusals

before=$(checksum)
audit_rows=$(sql "SELECT COUNT(*) FROM audit_log")
if generate --under $UNDER --seed 1 --as-of $AS_OF; then
    fail "a second run without --replace is refused"
else
    pass "a second run without --replace is refused"
fi
check "... saying what is there and what --replace does" \
    grep -q "exist under $UNDER already; --replace deletes them" "$TEST_TMP/generate.out"
expect_eq "$(checksum)" "$before" "... and changes nothing"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log")" "$audit_rows" "... nor writes to the audit log"
if generate --under 210102001 --as-of $AS_OF; then
    fail "a run under part of the generated data is refused too"
else
    pass "a run under part of the generated data is refused too"
fi

check "--replace with the same seed runs" generate --under $UNDER --seed 1 --as-of $AS_OF --replace
expect_eq "$(checksum)" "$before" "... and makes the same rows"
expect_eq "$(sql "SELECT JSON_VALUE(before_data, '\$.people') FROM audit_log ORDER BY id DESC LIMIT 1")" \
    "$people" "the audit entry says what was deleted first"

check "another seed runs" generate --under $UNDER --seed 2 --as-of $AS_OF --replace
check "... and makes other rows" test "$(checksum)" != "$before"

for bad in "--under 99" "--under 21x" "--as-of 2026-02-30"; do
    # shellcheck disable=SC2086 # the arguments are meant to split
    if generate $bad --replace; then fail "generate $bad is refused"; else pass "generate $bad is refused"; fi
done

# Back to what the fixture made, for the tests that come after.
check "the fixture's data again (seed 1, today)" generate --under $UNDER --replace

# ---------------------------------------------------------------------------------------------
# The API on the generated data

login shenyang-approver
expect_status 201 "shenyang-approver logs in"
as shenyang-approver GET /api/v1/regions/$UNDER
expect_status 200
expect_json .code "\"$UNDER\""
as shenyang-approver GET "/api/v1/regions/$UNDER/children"
expect_status 200

login heping-viewer
as heping-viewer GET '/api/v1/roster?role=executive_member&in_two_committees=false&limit=50'
expect_status 200
expect_json '.items | length' 50 "a county's roster page is full"
expect_json '[.items[] | select(.role != "executive_member" or .in_two_committees
    or (.region | startswith("210102") | not))] | length' 0 \
    "... of executive members off the two committees, all in the county"

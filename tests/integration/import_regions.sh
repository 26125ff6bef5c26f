#!/usr/bin/env bash
# jiceng import-regions against the test database: a damaged copy of the division CSVs is refused
# with the file and line and leaves the region table as it was; the good files, imported again,
# repair what was changed and otherwise change nothing, and report their counts.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

# The region table's content, as one line: row count and MariaDB's checksum of every column.
region_checksum() {
    db_admin -N -e 'SELECT COUNT(*) FROM region; CHECKSUM TABLE region' | awk '{ printf "%s ", $NF }'
}

# import DIR: runs the import of 辽宁省 (21) as the stack did, output in $TEST_TMP/import.out;
# sets IMPORT_STATUS.
import() {
    IMPORT_STATUS=0
    "$JICENG_BIN" import-regions --config "$CONFIG" --only 21 "$1" >"$TEST_TMP/import.out" 2>&1 ||
        IMPORT_STATUS=$?
}

# The province's lines of each file (and the header): the same rows the stack imported, in a
# copy small enough to damage quickly.
good=$TEST_TMP/good
mkdir "$good"
for file in provinces cities areas streets villages; do
    grep -E '^(code,|21)' "$REGIONS_DIR/$file.csv" >"$good/$file.csv"
done
rows=$(cat "$good"/*.csv | grep -vc '^code,')
before=$(region_checksum)
expect_eq "${before%% *}" "$rows" "the stack holds the $rows regions of 辽宁省"

# damaged NAME: a fresh copy of the good files, to damage, in $TEST_TMP/NAME.
damaged() {
    rm -rf "${TEST_TMP:?}/$1"
    cp -r "$good" "$TEST_TMP/$1"
    # A change the import would write if it wrote anything: a partial import would show.
    sed -i 's/^21,"辽宁省"$/21,"辽宁省（改）"/' "$TEST_TMP/$1/provinces.csv"
}

# expect_refused DIR FILE LINE: the import of DIR fails naming FILE:LINE and changes nothing.
expect_refused() {
    import "$1"
    check "import of ${1##*/} ends with a non-zero status (got $IMPORT_STATUS)" test "$IMPORT_STATUS" -ne 0
    if grep -q "$1/$2:$3: " "$TEST_TMP/import.out"; then
        pass "the error names $2:$3"
    else
        fail "the error names $2:$3; the import said: $(tail -n 3 "$TEST_TMP/import.out")"
    fi
    expect_eq "$(region_checksum)" "$before" "the region table is unchanged after the refused import"
}

# A line with a field missing, early in the fourth file.
damaged missing_field
awk 'NR == 10 { sub(/,[0-9]+$/, "") } 1' "$good/streets.csv" >"$TEST_TMP/missing_field/streets.csv"
expect_refused "$TEST_TMP/missing_field" streets.csv 10

# A well-formed last line whose parent does not exist: found only after every file was read.
damaged orphan
echo '210102998001,"不存在的社区",210102998,21,2101,210102' >>"$TEST_TMP/orphan/villages.csv"
expect_refused "$TEST_TMP/orphan" villages.csv "$(wc -l <"$TEST_TMP/orphan/villages.csv")"

# A name that is not UTF-8 (GB18030 bytes, as an export from a Windows tool would have).
damaged bad_utf8
LC_ALL=C awk -F, -v OFS=, -v name="$(printf '"\xba\xcd\xc6\xbd"')" 'NR == 51 { $2 = name } 1' \
    "$good/areas.csv" >"$TEST_TMP/bad_utf8/areas.csv"
expect_refused "$TEST_TMP/bad_utf8" areas.csv 51

# ---------------------------------------------------------------------------------------------
# The good files: the first import repairs a deleted and a renamed region, the second changes
# nothing; both leave the table as the stack made it.

db_admin -e "DELETE FROM region WHERE code = '210102001002';
             UPDATE region SET name = '改过的名字' WHERE code = '210102001';
             UPDATE region SET children = NULL WHERE code = '2101';
             UPDATE region SET children = '' WHERE code = '210102';
             UPDATE region SET children = '210102001' WHERE code = '210102001001'"
import "$good"
expect_eq "$IMPORT_STATUS" 0 "the import of the good files succeeds"
# Each region's list of children (migration 019) is made again from the table by the import.
expect_eq "$(db_admin -N -e "SET SESSION group_concat_max_len = 16777216;
    SELECT COUNT(*) FROM region p LEFT JOIN (SELECT parent_code, GROUP_CONCAT(code, '\t', level,
        '\t', child_count, '\t', name ORDER BY code SEPARATOR '\n') AS list
        FROM region WHERE parent_code IS NOT NULL GROUP BY parent_code) c ON c.parent_code = p.code
    WHERE NOT p.children <=> c.list")" 0 "every region's list of children is the table's"
check "it reports the repair: 1 new, 1 changed" \
    grep -q "^1 new, 1 changed, $((rows - 2)) unchanged" "$TEST_TMP/import.out"
expect_eq "$(region_checksum)" "$before" "the table is as the stack imported it"

import "$good"
expect_eq "$IMPORT_STATUS" 0 "importing the same files again succeeds"
check "it reports the counts: 0 new, 0 changed, $rows unchanged" \
    grep -q "^0 new, 0 changed, $rows unchanged" "$TEST_TMP/import.out"
check "it reports the rows of each level" grep -qE '^village +[0-9]+ ' "$TEST_TMP/import.out"
expect_eq "$(region_checksum)" "$before" "the second import changes nothing"

# The deleted and renamed rows are back as the files have them.
db_admin -N -e "SELECT name FROM region WHERE code = '210102001'" >"$TEST_TMP/name"
expect_eq "$(<"$TEST_TMP/name")" 浑河湾街道 "the renamed township has its name back"

#!/usr/bin/env bash
# `jiceng import cadres FILE --as-region CODE [--dry-run]`: the API's import on the command line
# for administrators, in the jurisdiction of CODE, with every error as FILE:LINE, a progress bar
# on a terminal, and nothing written unless every row is right.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"
source "$(dirname "$0")/import_helpers.bash"

# cli ARGS...: runs jiceng import with the stack's settings; output in CLI_OUT and CLI_ERR,
# exit status in CLI_STATUS.
cli() {
    CLI_STATUS=0
    "$JICENG_BIN" --config "$CONFIG" import "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err" || CLI_STATUS=$?
    CLI_OUT=$(<"$TEST_TMP/out")
    CLI_ERR=$(<"$TEST_TMP/err")
}
f=$TEST_TMP

{
    echo "$IMPORT_HEADER"
    import_row 210102016 '' 葛兰 1972-02-02
    import_row 210103005 '' 蒋梅 1973-03-03
    import_row 210102016 '' '' 1974-04-04
} >"$f/bad.csv"
before=$(state)
cli cadres "$f/bad.csv" --as-region 210102
expect_eq "$CLI_STATUS" 1 "a file with bad rows fails"
expect_eq "$CLI_ERR" "$f/bad.csv:3: column 1 (区划代码): no federation of region 210103005 in your jurisdiction
$f/bad.csv:4: column 3 (姓名): is required
import: the file has 2 errors; nothing was imported (422)" "every error is printed as FILE:LINE with its column"
expect_eq "$(state)" "$before" "... and nothing is written"

{
    echo "$IMPORT_HEADER"
    import_row 210102016 '' 葛兰 1972-02-02
    import_row 210102016 '' 蒋梅 1973-03-03 '' 副主席
} >"$f/good.csv"
cli cadres "$f/good.csv" --as-region 210102 --dry-run
expect_eq "$CLI_STATUS" 0 "a dry run of a good file"
expect_eq "$CLI_OUT" "dry run: 2 rows; people: 2 created, 0 updated, 0 unchanged; positions: 2 added, 0 held_already; nothing written
in ${CLI_OUT##*in }" "the dry run says what would change"
expect_eq "$(state)" "$before" "... and writes nothing"

before_audit=$(sql "SELECT MAX(id) FROM audit_log")
cli cadres "$f/good.csv" --as-region 210102
expect_eq "$CLI_STATUS" 0 "the good file is imported"
check "it says what it did" grep -q '^2 rows; people: 2 created, 0 updated, 0 unchanged; positions: 2 added, 0 held_already$' "$f/out"
expect_eq "$(sql "SELECT DISTINCT actor, actor_region FROM audit_log WHERE id > $before_audit")" \
    "jiceng import 210102" "the audit log names the command and the region it acted for"

before=$(state)
script -qec "'$JICENG_BIN' --config '$CONFIG' import cadres '$f/good.csv' --as-region 210102" \
    /dev/null >"$f/tty" 2>&1 </dev/null
check "on a terminal it draws a progress bar" grep -q 'importing rows 2/2 \[#*\] 100%' "$f/tty"
check "the second import finds everyone there" grep -q 'people: 0 created, 0 updated, 2 unchanged' "$f/tty"
expect_eq "$(state)" "$before" "importing the same file again changes nothing"

cli cadres "$f/good.csv"
expect_eq "$CLI_STATUS" 2 "--as-region is required"
cli cadres "$f/good.csv" --as-region 219999
expect_eq "$CLI_STATUS" 1 "an unknown region is refused"
expect_eq "$CLI_ERR" "jiceng import: --as-region 219999: no such region in the division table"
cli cadres "$f/missing.csv" --as-region 210102
expect_eq "$CLI_STATUS" 1 "a missing file is refused"
cli trainings "$f/good.csv" --as-region 210102
expect_eq "$CLI_STATUS" 2 "an unknown kind is refused"

# Organisations on the command line, with the same code.
printf '%s\n%s\n' "$ORG_HEADER" "210102016,妇委会,企业,命令行导入测试妇委会,2024-03-01,5,," >"$f/orgs.csv"
cli organisations "$f/orgs.csv" --as-region 210102
expect_eq "$CLI_STATUS" 0 "organisations are imported on the command line"
check "... and it says so" grep -q '^1 rows; organisations: 1 created, 0 updated, 0 unchanged$' "$f/out"
expect_eq "$(sql "SELECT level, host_kind FROM organisation WHERE name = '命令行导入测试妇委会'")" "4 enterprise"

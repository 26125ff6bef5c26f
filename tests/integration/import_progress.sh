#!/usr/bin/env bash
# An import's progress (POST /api/v1/imports/cadres?progress=true): once the rows are being
# checked the answer is a stream of JSON lines, a progress line after the first row, every 500
# rows and after the last one, then the status and answer the plain request would have had. A
# dry run and an import of 1,200 rows, a file with a bad row (its 422 in the last line, nothing
# written), and what is answered plainly: a file that is no spreadsheet, bad parameters.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/cadre_helpers.bash"
source "$(dirname "$0")/import_helpers.bash"

login heping-clerk
expect_status 201 "heping-clerk logs in"
WATCHED_TABLES=(person position)
f=$TEST_TMP

# cadre_file OUT ROWS [BAD_LINE]: ROWS cadres of 浑河湾街道's federation with ID numbers of area
# 650102, which the stack's data never uses (a sequence number from the run's start, so a kept
# stack gets new people); line BAD_LINE (a file line: the header is line 1) has a wrong gender.
cadre_file() {
    {
        echo "$IMPORT_HEADER"
        awk -v rows="$2" -v bad="${3:-0}" -v seq="$(printf '%03d' $((RANDOM % 899 + 100)))" '
            function check(s,   i, sum, w) {
                split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
                for (i = 1; i <= 17; i++) sum += substr(s, i, 1) * w[i]
                return substr("10X98765432", sum % 11 + 1, 1)
            }
            BEGIN {
                for (i = 0; i < rows; i++) {
                    # Days 1 to 28 of the months of 1960 to 1963: 1,344 birth dates.
                    birth = sprintf("%04d-%02d-%02d", 1960 + int(i / 336), int(i % 336 / 28) + 1, i % 28 + 1)
                    id = "650102" birth seq; gsub("-", "", id); id = id check(id)
                    printf "210102001,,进度%d,%s,%s,,本科,群众,%s,13900001111,教师,执委,否,否,2024-01-15\n",
                        i, i + 2 == bad ? "男女" : "女", birth, id
                }
            }'
    } >"$1"
}

# post FILE QUERY: the import with progress; the lines of the answer in $f/lines.
post() {
    upload heping-clerk "$1" "$2"
    printf '%s\n' "$HTTP_BODY" >"$f/lines"
}
# progress_lines: the progress lines of the last answer as "done/total", space-separated.
progress_lines() { jq -r 'select(.progress) | "\(.progress.done)/\(.progress.total)"' "$f/lines" | tr '\n' ' '; }
# last_line: the last line of the last answer.
last_line() { tail -n 1 "$f/lines"; }

cadre_file "$f/big.csv" 1200

before=$(state)
post "$f/big.csv" '?dry_run=true&progress=true'
expect_status 200 "a dry run with progress answers 200 and streams"
expect_header Content-Type '^application/x-ndjson; charset=utf-8$'
expect_eq "$(progress_lines)" "1/1200 500/1200 1000/1200 1200/1200 " \
    "progress after the first row, every 500 rows and after the last, before the answer"
expect_eq "$(last_line | jq -c '[.status, .answer.dry_run, .answer.committed, .answer.rows, .answer.error_count]')" \
    '[200,true,false,1200,0]' "the last line is the dry run's answer"
expect_eq "$(wc -l <"$f/lines")" 5 "four progress lines and the answer"
expect_eq "$(state)" "$before" "the dry run wrote nothing"

post "$f/big.csv" '?progress=true'
expect_status 200
expect_eq "$(progress_lines)" "1/1200 500/1200 1000/1200 1200/1200 " "the import reports its progress too"
expect_eq "$(last_line | jq -c '[.status, .answer.committed, .answer.rows, .answer.people.created]')" \
    '[200,true,1200,1200]' "the last line says the 1,200 cadres were imported"
first_id=$(sed -n 2p "$f/big.csv" | cut -d, -f9)
expect_eq "$(sql "SELECT name FROM person WHERE id_number = '$first_id'")" 进度0 \
    "the file's first cadre is on the roll"

cadre_file "$f/bad.csv" 600 302
before=$(state)
post "$f/bad.csv" '?progress=true'
expect_status 200 "a file with a bad row streams as well"
expect_eq "$(progress_lines)" "1/600 500/600 600/600 " "every row is checked, the bad one too"
expect_eq "$(last_line | jq -c '[.status, .answer.error.code, .answer.committed, .answer.errors[0].line, .answer.errors[0].field]')" \
    '[422,"invalid_rows",false,302,"gender"]' "the last line holds the 422 with the row's error"
expect_eq "$(state)" "$before" "nothing of the bad file was written"

# Before the rows there is nothing to report: the plain answers.
printf '\x89PNG\r\n\x1a\n0000' >"$f/picture.png"
upload heping-clerk "$f/picture.png" '?progress=true'
expect_error 415 unsupported_file
upload heping-clerk "$f/big.csv" '?progress=true&errors=csv'
expect_error 400 invalid_parameter
expect_json .error.field '"progress"'
upload heping-clerk "$f/big.csv" '?progress=maybe'
expect_error 400 invalid_parameter

#!/usr/bin/env bash
# Import of cadres with their positions (issue 5): a generated file of BENCH_IMPORT_ROWS rows
# (default 20,000) with valid, fresh ID numbers, spread over the village and community
# federations of 和平区 (210102), sent as heping-clerk through nginx to
# POST /api/v1/imports/cadres three times: a dry run (every row checked and written, then
# rolled back), the import, and the same file again (everyone found, nothing changed).
# Target: 20,000 rows with full validation in under 10 s.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

rows=${BENCH_IMPORT_ROWS:-20000}
cookie=$(bench_login heping-clerk)
file=$(mktemp /tmp/jiceng-bench-import.XXXXXX.csv)
trap 'rm -f "$file"' EXIT

regions=$(mariadb --defaults-file="$STACK_DB_ADMIN_CNF" --batch --skip-column-names -e "
    SELECT federation_of FROM organisation WHERE federation_of LIKE '210102%' AND level = 5
    ORDER BY federation_of")
[[ -n $regions ]] || stack_fail "no village federations under 210102: was the data generated?"

# ID numbers of area 830101 (residence permits of Taiwan residents), which generated data never
# uses, not even the whole country's (it gave 650102 to people of 乌鲁木齐): birth dates from
# 1960 on, one day per row, then the next sequence number; the sequence starts at a random
# point, so that a kept --state gets new people each run.
start=$((RANDOM % 500))
{
    echo '区划代码,组织名称,姓名,性别,出生日期,民族,文化程度,政治面貌,身份证号,手机号,职业,职务,专职,进两委,任职日期'
    awk -v rows="$rows" -v start="$start" -v regions="$regions" '
        # The civil date of day n after 1960-01-01 (Howard Hinnant'"'"'s days_from_civil inverse).
        function date_of(n,   z, era, doe, yoe, doy, mp, d, m, y) {
            z = n + 715815 # 1960-01-01 is day -3,653 of 1970, and 1970 is 719,468 after 0000-03-01
            era = int(z / 146097); doe = z - era * 146097
            yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
            y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
            mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
            m = mp < 10 ? mp + 3 : mp - 9; y += m <= 2
            return sprintf("%04d-%02d-%02d", y, m, d)
        }
        function check(s,   i, sum, w) {
            split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
            for (i = 1; i <= 17; i++) sum += substr(s, i, 1) * w[i]
            return substr("10X98765432", sum % 11 + 1, 1)
        }
        BEGIN {
            n = split(regions, r, "\n")
            split("主席 副主席 执委 执委 执委 常委", role, " ")
            for (i = 0; i < rows; i++) {
                birth = date_of(i % 14000)
                seq = sprintf("%03d", (start + int(i / 14000)) % 999 + 1)
                id = "830101" birth seq; gsub("-", "", id); id = id check(id)
                printf "%s,,导入%d,女,%s,汉族,本科,群众,%s,139%08d,其他,%s,否,否,2024-01-15\n",
                    r[i % n + 1], i, birth, id, i, role[i % 6 + 1]
            }
        }'
} >"$file"
echo "file: $rows rows, $(du -h "$file" | cut -f1), over $(wc -l <<<"$regions") village federations of 和平区"

bench_import_runs /api/v1/imports/cadres "$file" "$rows" "$cookie" '{committed, people, positions}'
echo
bench_import_verdict "$rows"

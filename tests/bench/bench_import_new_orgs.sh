#!/usr/bin/env bash
# Import and export of new economic and social organisations (issues 5 and 7): a generated file
# of BENCH_IMPORT_ROWS rows (default 20,000) with valid, fresh GB 32100 credit codes, spread
# over 和平区 (210102) and its townships, sent as heping-clerk through nginx to
# POST /api/v1/imports/new-organisations three times: a dry run (every row checked and written,
# then rolled back), the import, and the same file again (everyone found, nothing changed);
# then GET /api/v1/new-organisations/export?under=210102 as CSV and as XLSX, in rows/s.
# Target (of the roster import, issue 5): 20,000 rows with full validation in under 10 s.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

rows=${BENCH_IMPORT_ROWS:-20000}
cookie=$(bench_login heping-clerk)
file=$(mktemp /tmp/jiceng-bench-new-orgs.XXXXXX.csv)
trap 'rm -f "$file" "$file.answer" "$file.export"' EXIT

regions=$(mariadb --defaults-file="$STACK_DB_ADMIN_CNF" --batch --skip-column-names -e "
    SELECT code FROM region WHERE code = '210102' OR (parent_code = '210102' AND level = 4)
    ORDER BY code")
[[ -n $regions ]] || stack_fail "no region 210102: were the regions of 辽宁省 loaded?"

# Credit codes of registration authority 9, kind 3 ("93", which the generator does not use),
# then 210102 and a 9-digit serial from a random start, so a kept --state gets new ones.
start=$(((RANDOM * 32768 + RANDOM) % 900000000))
{
    echo '区划代码,组织名称,统一社会信用代码,类别,行业,固定职工人数,女职工人数,党组织评定,经营稳定,女职工队伍稳定,有合适的妇委会主任人选,联系人,联系电话'
    awk -v rows="$rows" -v start="$start" -v regions="$regions" '
        BEGIN {
            alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
            n = split(regions, r, "\n")
            split("无 达标 优秀", rating, " ")
            split("是 否", yn, " ")
            for (i = 0; i < rows; i++) {
                body = sprintf("93210102%09d", (start + i) % 1000000000)
                sum = 0; w = 1
                for (k = 1; k <= 17; k++) {
                    sum += (index(alphabet, substr(body, k, 1)) - 1) * w
                    w = w * 3 % 31
                }
                code = body substr(alphabet, (31 - sum % 31) % 31 + 1, 1)
                employees = 5 + i % 200
                printf "%s,导入组织%d,%s,%s,制造业,%d,%d,%s,%s,是,%s,联系人%d,139%08d\n",
                    r[i % n + 1], i, code, i % 3 ? "新经济组织" : "新社会组织", employees,
                    int(employees * (i % 7) / 10), rating[i % 3 + 1], yn[i % 2 + 1],
                    yn[int(i / 2) % 2 + 1], i, i
            }
        }'
} >"$file"
echo "file: $rows rows, $(du -h "$file" | cut -f1), over $(wc -l <<<"$regions") regions of 和平区"

bench_import_runs /api/v1/imports/new-organisations "$file" "$rows" "$cookie" '{committed, new_organisations}'

# The county's registry (the generated organisations and the imported ones) as a file.
total=$(mariadb --defaults-file="$STACK_DB_ADMIN_CNF" --batch --skip-column-names -e "
    SELECT COUNT(*) FROM new_org WHERE region LIKE '210102%'")
for format in csv xlsx; do
    read -r status seconds < <(curl -sS -o "$file.export" -w '%{http_code} %{time_total}\n' \
        --max-time 300 -H "Cookie: $cookie" \
        "$BASE_URL/api/v1/new-organisations/export?under=210102&format=$format")
    [[ $status == 200 ]] || stack_fail "the $format export answered $status"
    printf 'export %-4s %6d rows in %6.2f s  %8.0f rows/s  %s\n' "$format" "$total" "$seconds" \
        "$(awk -v r="$total" -v s="$seconds" 'BEGIN { print r / s }')" "$(du -h "$file.export" | cut -f1)"
done
echo
bench_import_verdict "$rows"

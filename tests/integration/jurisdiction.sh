#!/usr/bin/env bash
# The jurisdiction mechanism itself, at the database: the application's account reaches
# business data only through the my_* views, and they are empty until @jurisdiction is set.
# (Each endpoint's own sibling-county tests live with the endpoint's tests.)
source "$(dirname "$0")/lib.sh"

# app SQL: runs SQL as the application's account; prints the result, fails on an error.
app() { db_app --skip-column-names -e "$1" 2>&1; }

for table in organisation person position training; do
    out=$(app "SELECT COUNT(*) FROM $table") && status=ok || status=refused
    expect_eq "$status" refused "the application account cannot read the table $table"
done
out=$(app "SELECT COUNT(*) FROM audit_log") && status=ok || status=refused
expect_eq "$status" refused "the application account cannot read the audit log behind its view"

expect_eq "$(app "SELECT COUNT(*) FROM my_region")" 0 "with @jurisdiction unset the views are empty"
expect_eq "$(app "SET @jurisdiction = '-'; SELECT COUNT(*) FROM my_region")" 0 \
    "the no-jurisdiction value matches nothing"
expect_eq "$(app "SET @jurisdiction = '210102'; SELECT COUNT(*) FROM my_region WHERE code NOT LIKE '210102%'")" 0 \
    "a county's view holds only its subtree"
check "a county's view holds the county" \
    test "$(app "SET @jurisdiction = '210102'; SELECT COUNT(*) FROM my_region WHERE code = '210102'")" = 1

out=$(app "SET @jurisdiction = '210102';
    INSERT INTO my_organisation (region, level, kind, name) VALUES ('210103', 3, 'federation', 'x')") &&
    status=ok || status=refused
expect_eq "$status" refused "a row outside the jurisdiction cannot be written through the view"
check "... and the refusal names the check option" grep -q "CHECK OPTION" <<<"$out"

# The statistics (migration 006): the counts kept per county only through their view, and both
# statistics views empty until @jurisdiction is set and limited to it afterwards.
for table in stat_county stat_township; do
    out=$(app "SELECT COUNT(*) FROM $table") && status=ok || status=refused
    expect_eq "$status" refused "the application account cannot read $table behind its view"
done
for view in my_stat_county my_stat_township my_stat_recount; do
    expect_eq "$(app "SELECT COUNT(*) FROM $view")" 0 "with @jurisdiction unset $view is empty"
done
expect_eq "$(app "SET @jurisdiction = '210102'; SELECT COUNT(*) FROM my_stat_county WHERE county NOT LIKE '210102%'")" 0 \
    "a county's kept counts hold only its own"
expect_eq "$(app "SET @jurisdiction = '210102'; SELECT COUNT(*) FROM my_stat_township WHERE township NOT LIKE '210102%'")" 0 \
    "a county's counts per township hold only its townships"
expect_eq "$(app "SET @jurisdiction = '210102'; SELECT COUNT(*) FROM my_stat_recount WHERE region NOT LIKE '210102%'")" 0 \
    "a county's recount holds only its subtree"

# Every endpoint of the statistics and exports with the users of the sibling counties 和平区 and
# 沈河区: each reads its own, the other's answers 404 (also for codes guessed under it).
for user in heping-viewer shenhe-viewer; do
    login "$user"
    expect_status 201 "$user logs in"
done
heping_village=$(db_admin --skip-column-names -e "SELECT MIN(code) FROM region WHERE code LIKE '210102%' AND level = 5")
shenhe_village=$(db_admin --skip-column-names -e "SELECT MIN(code) FROM region WHERE code LIKE '210103%' AND level = 5")
for path in /api/v1/statistics/210102 "/api/v1/statistics/$heping_village"; do
    as heping-viewer GET "$path"
    expect_status 200 "heping-viewer reads $path"
    as shenhe-viewer GET "$path"
    expect_error 404 not_found
done
for path in /api/v1/statistics/210103 "/api/v1/statistics/$shenhe_village"; do
    as shenhe-viewer GET "$path"
    expect_status 200 "shenhe-viewer reads $path"
    as heping-viewer GET "$path"
    expect_error 404 not_found
done
# regions_of_export COLUMN: the distinct county codes (6 digits) in COLUMN of the last CSV answer.
regions_of_export() {
    node "$(dirname "$0")/read_csv.mjs" "$TEST_TMP/body" |
        jq -c --argjson c "$1" '[.rows[1:][] | .[$c][0:6]] | unique'
}
for export in roster:9 organisations:1; do
    path=/api/v1/${export%:*}/export
    as heping-viewer GET "$path"
    expect_status 200 "heping-viewer exports $path"
    expect_eq "$(regions_of_export "${export#*:}")" '["210102"]' "... only rows of 和平区"
    as shenhe-viewer GET "$path"
    expect_status 200 "shenhe-viewer exports $path"
    expect_eq "$(regions_of_export "${export#*:}")" '["210103"]' "... only rows of 沈河区"
done
for code in 210102 "$heping_village"; do
    as shenhe-viewer GET "/api/v1/organisations/export?under=$code"
    expect_error 404 not_found
    as shenhe-viewer GET "/api/v1/roster/export?under=$code"
    expect_status 200 "a roster export under $code for shenhe-viewer answers"
    expect_eq "$(grep -c '' <<<"$HTTP_BODY")" 1 "... with the header row alone"
done
expect_eq "$(curl -sS -o /dev/null -w '%{http_code}' -b "$(jar heping-viewer)" \
    "$BASE_URL/api/v1/statistics/210102/report")" 200 "heping-viewer reads her county's report"
for code in 210102 "$heping_village"; do
    as shenhe-viewer GET "/api/v1/statistics/$code/report"
    expect_error 404 not_found
done
as heping-viewer GET "/api/v1/statistics/$shenhe_village/report"
expect_error 404 not_found

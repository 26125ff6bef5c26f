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

# Workflows and re-elections (migration 005).
for table in workflow_chain workflow_request workflow_request_step workflow_event reelection \
    reelection_candidate; do
    out=$(app "SELECT COUNT(*) FROM $table") && status=ok || status=refused
    expect_eq "$status" refused "the application account cannot read the table $table"
done
out=$(app "SET @jurisdiction = '210102001002'; UPDATE my_workflow_event SET comment = 'x'") &&
    status=ok || status=refused
expect_eq "$status" refused "a request's history cannot be changed through its view"
expect_eq "$(app "SET @jurisdiction = '210102001002'; SELECT COUNT(*) FROM my_workflow_chain
                  WHERE region = '' AND kind = 'reelection_plan'")" 6 \
    "the default chains apply to a village, from above its jurisdiction"
expect_eq "$(app "SELECT COUNT(*) FROM my_workflow_chain")" 0 "with @jurisdiction unset no chain applies"
out=$(app "SET @jurisdiction = '210102';
    INSERT INTO my_reelection (organisation_id, region, planned_date, term_years, seats_chair,
        seats_vice_full, seats_vice_part, seats_standing, seats_executive)
    SELECT id, region, '2030-01-01', 5, 1, 0, 0, 0, 0 FROM organisation WHERE region = '210103' LIMIT 1") &&
    status=ok || status=refused
expect_eq "$status" refused "a re-election outside the jurisdiction cannot be written through the view"
for view in my_workflow_request my_workflow_event my_reelection my_reelection_candidate; do
    expect_eq "$(app "SET @jurisdiction = '210103'; SELECT COUNT(*) FROM $view WHERE region NOT LIKE '210103%'")" 0 \
        "$view holds the jurisdiction only"
done

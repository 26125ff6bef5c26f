#!/usr/bin/env bash
# GET /api/v1/regions/{code}/children: pages in code order that, followed by their cursors, hold
# every child once; the region itself on every page, an empty last page included; a region
# without children answers an empty page, an unknown one and one outside the jurisdiction 404.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

login liaoning-admin
expect_status 201 "liaoning-admin logs in"
login shenhe-clerk
expect_status 201 "shenhe-clerk logs in"

want=$(sql "SELECT code FROM region WHERE parent_code = '2101' ORDER BY code" | paste -sd' ')
count=$(wc -w <<<"$want")
check "the test data has more than one page of 2101's children ($count)" test "$count" -gt 3

# Pages of 3 followed by their cursors.
got=() cursor='' pages=0
while :; do
    as liaoning-admin GET "/api/v1/regions/2101/children?limit=3${cursor:+&cursor=$cursor}"
    [[ $HTTP_STATUS == 200 ]] || break
    pages=$((pages + 1))
    [[ $(jq -c '[.region.code, .region.level]' <<<"$HTTP_BODY") == '["2101","city"]' ]] ||
        fail "page $pages names its region: $(jq -c .region <<<"$HTTP_BODY")"
    mapfile -t -O "${#got[@]}" got < <(jq -r '.items[].code' <<<"$HTTP_BODY")
    cursor=$(jq -r '.next_cursor // empty' <<<"$HTTP_BODY")
    [[ -n $cursor && $pages -lt 50 ]] || break
done
expect_status 200 "every page answers 200"
expect_eq "${got[*]}" "$want" "the pages hold every child of 2101 once, in code order"
expect_eq "$pages" "$(((count + 2) / 3))" "$pages pages of 3 for $count children"
as liaoning-admin GET "/api/v1/regions/2101/children?limit=$count"
expect_json '[(.items | length), .next_cursor]' "[$count, null]" "a page that holds the last child has no next cursor"

# A child's fields.
first=${want%% *}
as liaoning-admin GET "/api/v1/regions/2101/children?limit=1"
expect_json '.items[0] | [.code, .level, .child_count]' \
    "$(sql "SELECT CONCAT('[\"', code, '\",\"county\",', child_count, ']') FROM region WHERE code = '$first'")" \
    "a child has its code, level and number of children"
expect_json '.next_cursor' "\"$first\"" "the cursor is the last code of the page"

# A cursor after the last child: an empty page that still names the region.
last=${want##* }
as liaoning-admin GET "/api/v1/regions/2101/children?cursor=$last"
expect_status 200
expect_json '[.region.code, .items, .next_cursor]' '["2101", [], null]' \
    "a cursor past the last child answers an empty page of the region"

# A region without children (a village or community).
leaf=$(sql "SELECT code FROM region WHERE code LIKE '210103%' AND child_count = 0 AND level = 5 ORDER BY code LIMIT 1")
as shenhe-clerk GET "/api/v1/regions/$leaf/children"
expect_status 200
expect_json '[.region.code, .region.level, .items, .next_cursor]' "[\"$leaf\", \"village\", [], null]" \
    "a village answers an empty page of itself"

# Unknown, and outside the jurisdiction (whether or not it has children).
as liaoning-admin GET /api/v1/regions/2199/children
expect_error 404 not_found
other_leaf=$(sql "SELECT code FROM region WHERE code LIKE '210102%' AND child_count = 0 AND level = 5 ORDER BY code LIMIT 1")
for outside in 2101 210102 "$other_leaf"; do
    as shenhe-clerk GET "/api/v1/regions/$outside/children"
    expect_error 404 not_found
    as shenhe-clerk GET "/api/v1/regions/$outside/children?cursor=210102"
    expect_error 404 not_found
done

#!/usr/bin/env bash
# Outages while jiceng runs: with MariaDB stopped, the health check and the data endpoints answer
# 503 JSON at once; with slapd stopped, the health check does. When the server is back the same
# requests succeed again, served by the same jiceng process (no restart).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

# Regions need a session: the province's admin's. It lives in the database, so it outlasts
# the outage.
login liaoning-admin
expect_status 201 "liaoning-admin logs in"
api() { as liaoning-admin GET "$1"; }

jiceng_pid() { cat "$JICENG_TEST_STATE/jiceng.pid"; }

# health_is STATUS PART STATE: the health check answers STATUS and reports PART (database or
# directory) as STATE (up or down).
health_is() {
    http GET /api/v1/health &&
        [[ $HTTP_STATUS == "$1" && $(jq -r ".$2" <<<"$HTTP_BODY" 2>/dev/null) == "$3" ]]
}

# Requests to the data endpoints, more than there are workers, so that every worker's own
# database connection is exercised: all must answer STATUS.
DATA_PATHS=(/api/v1/regions/21 /api/v1/regions/2101/children /api/v1/regions/210102
    /api/v1/regions/21/children?limit=5)
all_data_answer() {
    local path
    for _ in 1 2 3; do
        for path in "${DATA_PATHS[@]}"; do
            api "$path"
            [[ $HTTP_STATUS == "$1" ]] || return 1
        done
    done
}

pid_before=$(jiceng_pid)
check "the data endpoints answer 200 before the outage" all_data_answer 200

# ---------------------------------------------------------------------------------------------
# The database

db_stop

# The first request after the stop finds its connection broken and must not hang on it.
api /api/v1/regions/21
expect_error 503 database_unavailable
expect_header Retry-After '^[0-9]+$'
expect_json .error.request_id "\"$(header X-Request-Id)\"" "the 503 carries the request id"
check "a data request answers 503 within 2 s of the database going away" \
    awk -v t="$(curl -sS -o /dev/null -w '%{time_total}' -b "$(jar liaoning-admin)" \
        "$BASE_URL/api/v1/regions/2101")" 'BEGIN { exit !(t < 2) }'
check "every worker answers 503 while the database is down" all_data_answer 503

# The health monitor checks once a second.
check "health answers 503 with the database down" wait_until health_is 503 database down
expect_header Content-Type '^application/json'
expect_json .status '"unavailable"'

db_start

check "the data endpoints serve again once the database is back" \
    wait_until all_data_answer 200
check "health answers 200 again" wait_until health_is 200 database up
api /api/v1/regions/21
expect_status 200
expect_json .name '"辽宁省"'
expect_eq "$(jiceng_pid)" "$pid_before" "the same jiceng process serves (no restart)"

# ---------------------------------------------------------------------------------------------
# The directory

ldap_stop
check "health answers 503 with the directory down" wait_until health_is 503 directory down
expect_json .database '"up"' "the database is still reported up"
ldap_start
check "health answers 200 once the directory is back" wait_until health_is 200 directory up
expect_eq "$(jiceng_pid)" "$pid_before" "the same jiceng process serves (no restart)"

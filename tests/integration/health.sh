#!/usr/bin/env bash
# GET /api/v1/health through nginx: up while the database is, and it notices when it is not.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

http GET /api/v1/health
expect_status 200
expect_header Content-Type '^application/json'
expect_json .database '"up"'
expect_header X-Content-Type-Options '^nosniff$'

# With MariaDB stopped the health check reports it down (the answer's status is the
# application's choice; the body must say so), and recovers once it is back.
db_stop
database_down() { http GET /api/v1/health && [[ $(jq -r .database <<<"$HTTP_BODY") == down ]]; }
check "health reports the database down after MariaDB stopped" wait_until database_down
db_start
database_up() { http GET /api/v1/health && [[ $HTTP_STATUS == 200 && $(jq -r .database <<<"$HTTP_BODY") == up ]]; }
check "health reports the database up again after MariaDB started" wait_until database_up

#!/usr/bin/env bash
# SIGTERM stops jiceng gracefully: a request in flight is answered in full before the process
# exits, and new requests are refused (nginx answers 503 JSON) meanwhile.
#
# The request is held in flight deterministically: another database session holds a write lock
# on the region table, so a region request waits inside jiceng until the lock is released.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

# Regions need a session (checking it does not read the region table, so the lock below does
# not hold it up).
login liaoning-admin
expect_status 201 "liaoning-admin logs in"
as liaoning-admin GET /api/v1/regions/21
expect_status 200 "regions answer before the test"

# The lock: a database client that keeps its session open, reading statements from a FIFO. When
# the script ends for whatever reason the FIFO closes, the client exits and the lock goes with it.
mkfifo "$TEST_TMP/locker"
db_admin <"$TEST_TMP/locker" >"$TEST_TMP/locker.out" 2>&1 &
exec 7>"$TEST_TMP/locker"
echo 'LOCK TABLES region WRITE;' >&7
region_locked() {
    [[ -n $(db_admin -N -e "SHOW OPEN TABLES FROM jiceng WHERE In_use > 0 AND \`Table\` = 'region'") ]]
}
check "another session holds a write lock on region" wait_until region_locked

# The request in flight, in the background; it writes its status when it is answered.
curl -sS -o "$TEST_TMP/slow.body" -w '%{http_code}' --max-time 60 -b "$(jar liaoning-admin)" \
    "$BASE_URL/api/v1/regions/21" >"$TEST_TMP/slow.status" 2>&1 &
slow=$!
# Seeing other accounts' sessions takes the database superuser (stack/lib.sh).
request_waiting() {
    stack_sql_root 'SHOW FULL PROCESSLIST' | grep -q 'Waiting for table metadata lock'
}
check "the region request waits for the lock inside jiceng" wait_until request_waiting

pid=$(<"$JICENG_TEST_STATE/jiceng.pid")
TEST_STOPPED+="app " # test_finish starts it again whatever happens below
kill -TERM "$pid"
stopping() { grep -q 'finishing the requests in flight' "$LOG_DIR/jiceng.log"; }
check "jiceng received SIGTERM" wait_until stopping

# While it finishes, it takes no new requests: nginx cannot connect and answers 503 JSON.
refusing() { http GET /api/v1/health && [[ $HTTP_STATUS == 503 ]]; }
check "new requests are refused while jiceng stops" wait_until refusing
expect_error 503 unavailable
check "jiceng waits for the request in flight" kill -0 "$pid"
check "the request in flight is still waiting" kill -0 "$slow"

echo 'UNLOCK TABLES;' >&7
exec 7>&-
wait "$slow" || true
expect_eq "$(<"$TEST_TMP/slow.status")" 200 "the request in flight is answered in full"
HTTP_BODY=$(<"$TEST_TMP/slow.body")
HTTP_REQUEST="GET /api/v1/regions/21 (in flight at SIGTERM)"
expect_json .name '"辽宁省"'

gone() { ! kill -0 "$pid" 2>/dev/null; }
check "jiceng exits once the request is answered" wait_until gone
check "it logged a clean stop" grep -q 'stopped' "$LOG_DIR/jiceng.log"

app_start
http GET /api/v1/health
expect_status 200 "a restarted jiceng serves again"

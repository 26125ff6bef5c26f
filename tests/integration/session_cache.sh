#!/usr/bin/env bash
# The per-worker session cache ([session] cache_seconds): it spares the database, and a session
# ended in the database is refused within cache_seconds. The test stack runs with the cache off;
# this test restarts jiceng with it on, and off again at the end.
source "$(dirname "$0")/lib.sh"

# with_cache SECONDS: restarts jiceng with [session] cache_seconds = SECONDS.
with_cache() {
    sed -i "s/^cache_seconds = .*/cache_seconds = $1/" "$CONFIG"
    app_stop
    app_start
}

statements() {
    db_admin --skip-column-names -e "SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'" | cut -f2
}

refused() {
    http GET /api/v1/me -H "Cookie: jiceng_session=$1"
    [[ $HTTP_STATUS == 401 ]]
}

with_cache 2
login heping-clerk
expect_status 201
token=$(session_token heping-clerk)

before=$(statements)
for _ in $(seq 40); do
    as heping-clerk GET /api/v1/auth/check
done
expect_status 204
cached=$(($(statements) - before))

db_admin -e "UPDATE session SET ended_at = NOW(3), end_reason = 'test'
    WHERE token_hash = UNHEX(SHA2('$token', 256))"
start=$SECONDS
check "a session ended in the database is refused within cache_seconds" \
    wait_until --timeout 5 refused "$token"
check "... and not later than cache_seconds + 1 s (took $((SECONDS - start)) s)" \
    test $((SECONDS - start)) -le 3

login heping-clerk
token=$(session_token heping-clerk)
as heping-clerk GET /api/v1/me
expect_status 200
as heping-clerk DELETE /api/v1/session
expect_status 204
check "after a logout the token is refused on every worker within cache_seconds" \
    wait_until --timeout 5 refused "$token"

with_cache 0
login heping-clerk
before=$(statements)
for _ in $(seq 40); do
    as heping-clerk GET /api/v1/auth/check
done
uncached=$(($(statements) - before))
check "the cache at least halves the statements of 40 checks ($cached against $uncached)" \
    test $((cached * 2)) -lt "$uncached"
token=$(session_token heping-clerk)
db_admin -e "UPDATE session SET ended_at = NOW(3) WHERE token_hash = UNHEX(SHA2('$token', 256))"
check "with cache_seconds = 0 the end counts at the next request" refused "$token"

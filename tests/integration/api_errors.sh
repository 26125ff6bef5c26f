#!/usr/bin/env bash
# Bad requests to the API through nginx: each is refused with the right status and a JSON error
# {"error":{"code","message","request_id"}}, whether the application or nginx refuses it, and the
# request id is nginx's: the one in the X-Request-Id header and in nginx's access log.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

# State-changing requests carry this, or the CSRF guard would answer 403 before the check a
# test is about.
XHR=(-H 'X-Requested-With: XMLHttpRequest')

# logged_request_id ID: true when nginx's access log has a request with this id (its last field).
logged_request_id() {
    awk -v id="$1" '$NF == id { found = 1 } END { exit !found }' "$LOG_DIR/nginx-access.log"
}

# expect_error_body: the last answer's error has a code, a message and nginx's request id; when
# the application answered, its X-Request-Id header carries the same id.
expect_error_body() {
    local code message id header_id
    code=$(jq -r '.error.code // empty' <<<"$HTTP_BODY" 2>/dev/null || true)
    message=$(jq -r '.error.message // empty' <<<"$HTTP_BODY" 2>/dev/null || true)
    id=$(jq -r '.error.request_id // empty' <<<"$HTTP_BODY" 2>/dev/null || true)
    header_id=$(header X-Request-Id)
    if [[ -z $code || -z $message ]]; then
        fail "$HTTP_REQUEST: the error has a code and a message"
    elif [[ ! $id =~ ^[0-9a-f]{32}$ ]]; then
        fail "$HTTP_REQUEST: error.request_id is nginx's request id, got '$id'"
    elif [[ -n $header_id && $header_id != "$id" ]]; then
        fail "$HTTP_REQUEST: error.request_id '$id' differs from X-Request-Id '$header_id'"
    elif ! logged_request_id "$id"; then
        fail "$HTTP_REQUEST: request id $id is not in nginx's access log"
    else
        pass "$HTTP_REQUEST: error has code $code, a message and request id $id"
    fi
}

# refused STATUS CODE: the last answer is this JSON error, with a well-formed body.
refused() {
    expect_error "$1" "$2"
    expect_error_body
}

# repeat CHAR COUNT: CHAR written COUNT times.
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; }

# ---------------------------------------------------------------------------------------------
# Unknown paths and methods

for path in /api/v1/nope /api/v1/ /api/v1/health/ /api/v1/regions/21/children/more; do
    http GET "$path"
    refused 404 not_found
done

http DELETE /api/v1/health "${XHR[@]}"
refused 405 method_not_allowed
expect_header Allow '^GET$'
http PUT /api/v1/regions/21 "${XHR[@]}" -H 'Content-Type: application/json' --data '{}'
refused 405 method_not_allowed
expect_header Allow '^GET$'
http POST /api/v1/regions/21/children "${XHR[@]}"
refused 405 method_not_allowed
expect_header Allow '^GET$'

# ---------------------------------------------------------------------------------------------
# Request bodies: the application takes up to 1 MiB, nginx refuses what is over 2 MiB.

mib=$((1024 * 1024))
repeat a "$mib" >"$TEST_TMP/1mib"
repeat a $((mib + 1)) >"$TEST_TMP/1mib+1"
repeat a $((3 * mib)) >"$TEST_TMP/3mib"
json=(-H 'Content-Type: application/json')

# Exactly the limit passes the size check and meets the next one (no POST on this path).
http POST /api/v1/health "${XHR[@]}" "${json[@]}" --data-binary @"$TEST_TMP/1mib"
expect_status 405 "a body of exactly 1 MiB is not refused for its size"
http POST /api/v1/health "${XHR[@]}" "${json[@]}" --data-binary @"$TEST_TMP/1mib+1"
refused 413 body_too_large
# Chunked: no Content-Length from the client; nginx reads the whole body and passes its length.
chunked=(-H 'Transfer-Encoding: chunked')
http POST /api/v1/health "${XHR[@]}" "${json[@]}" "${chunked[@]}" --data-binary @"$TEST_TMP/1mib+1"
refused 413 body_too_large
http POST /api/v1/health "${XHR[@]}" "${json[@]}" --data-binary @"$TEST_TMP/3mib"
refused 413 body_too_large
http POST /api/v1/health "${XHR[@]}" "${json[@]}" "${chunked[@]}" --data-binary @"$TEST_TMP/3mib"
refused 413 body_too_large

# Decoding a JSON body: the login takes one (POST /api/v1/session).
http POST /api/v1/session "${XHR[@]}" "${json[@]}" --data '{"username": "a", "password": }'
refused 400 invalid_json
expect_json '.error.message | test("line 1, column [0-9]+")' true \
    "the error names the position of malformed JSON"
http POST /api/v1/session "${XHR[@]}" "${json[@]}" --data-binary $'{"username": "a",\n "password" "b"}'
refused 400 invalid_json
expect_json '.error.message | test("line 2, column [0-9]+")' true \
    "the position is on the second line when the fault is"
http POST /api/v1/session "${XHR[@]}" "${json[@]}" --data '{"username": "a", "username": "b"}'
refused 400 invalid_json
http POST /api/v1/session "${XHR[@]}" "${json[@]}" --data-binary $'{"username": "\xff"}'
refused 400 invalid_utf8
# Other types, and none at all (an empty -H value makes curl send no Content-Type).
for type in text/plain application/x-www-form-urlencoded application/jsonx ''; do
    http POST /api/v1/session "${XHR[@]}" -H "Content-Type: $type" \
        --data '{"username": "a", "password": "b"}'
    refused 415 unsupported_media_type
done
# A charset parameter is still JSON: the request gets past decoding to the login itself.
http POST /api/v1/session "${XHR[@]}" -H 'Content-Type: application/json; charset=utf-8' \
    --data '{"username": "nobody-here", "password": "wrong"}'
refused 401 invalid_credentials
# Without the CSRF header the guard refuses, in the same shape.
http POST /api/v1/session "${json[@]}" --data '{"username": "a", "password": "b"}'
refused 403 csrf_refused

# ---------------------------------------------------------------------------------------------
# Paths and query strings

# Percent-escapes that decode to bytes that are not UTF-8, and an overlong "/" (C0 AF).
for path in /api/v1/regions/%FF /api/v1/regions/21%C3 /api/v1/%C0%AFhealth; do
    http GET "$path"
    refused 400 invalid_utf8
done
for query in 'x=%FF' 'x=%C3%28' 'x=%zz' 'x=%4'; do
    http GET "/api/v1/health?$query"
    refused 400 invalid_query
done

# The application takes query strings of up to 4096 bytes; nginx itself takes longer ones.
http GET "/api/v1/health?x=$(repeat a 4094)"
expect_status 200 "a query string of exactly 4096 bytes is accepted"
http GET "/api/v1/health?x=$(repeat a 4095)"
refused 414 uri_too_long
# Beyond nginx's request line buffer (8 KiB) nginx answers itself.
http GET "/api/v1/health?x=$(repeat a 20000)"
refused 414 uri_too_long

# Headers beyond nginx's buffers: 431 from nginx, as JSON.
http GET /api/v1/health -H "X-Padding: $(repeat a 20000)"
refused 431 headers_too_large

# Regions need a session: without one 401; with one, a malformed code is 400 and a well-formed
# unknown one 404.
http GET /api/v1/regions/21
refused 401 unauthorized
login liaoning-admin
expect_status 201 "liaoning-admin logs in"
as liaoning-admin GET /api/v1/regions/2x
refused 400 invalid_parameter
as liaoning-admin GET /api/v1/regions/99
refused 404 not_found
as liaoning-admin GET /api/v1/regions/21/children?limit=0
refused 400 invalid_parameter
as liaoning-admin GET /api/v1/regions/21/children?cursor=abc
refused 400 invalid_parameter

#!/usr/bin/env bash
# nginx in front of jiceng: the static page, and nginx's own errors for the API answered as JSON
# with the right status (nginx/jiceng-site.conf).
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

http GET /
expect_status 200
expect_header Content-Type '^text/html; charset=utf-8$'
check "the start page names the system" grep -q '基层组织建设' <<<"$HTTP_BODY"
expect_header X-Content-Type-Options '^nosniff$'
expect_header X-Frame-Options '^DENY$'

http GET /__bench/return200
expect_status 200 "the benchmark baseline location answers"

# Bodies above nginx's limit (2m) never reach the application.
head -c $((3 * 1024 * 1024)) /dev/zero >"$TEST_TMP/big"
http POST /api/v1/health -H 'Content-Type: application/json' --data-binary @"$TEST_TMP/big"
expect_error 413 body_too_large

http GET "/api/v1/regions/$(printf '1%.0s' {1..20000})"
expect_error 414 uri_too_long

http GET /api/v1/health -H "X-Padding: $(printf 'a%.0s' {1..20000})"
expect_error 431 headers_too_large

# Two Host headers: nginx refuses the request before choosing a location. curl will not send
# that, so the request goes over a bare socket: in one write, with the offending header last,
# because nginx answers and closes as soon as it sees the second Host; a write after that would
# meet a closed socket (SIGPIPE, and a reset that can discard the answer).
raw_request() {
    local request=$'GET /api/v1/health HTTP/1.1\r\nConnection: close\r\nHost: a\r\nHost: b\r\n\r\n'
    local reply
    reply=$(
        trap '' PIPE
        exec 3<>"/dev/tcp/127.0.0.1/$NGINX_PORT"
        printf '%s' "$request" >&3 || true
        timeout 10 cat <&3
    )
    reply=${reply//$'\r'/}
    HTTP_REQUEST="GET /api/v1/health with two Host headers"
    HTTP_STATUS=$(head -n 1 <<<"$reply" | cut -d' ' -f2)
    HTTP_HEADERS=$(sed '/^$/q' <<<"$reply")
    HTTP_BODY=$(sed '1,/^$/d' <<<"$reply")
}
raw_request
expect_error 400 bad_request

http GET /api/v2/regions/21
expect_error 404 not_found

http GET /__jiceng/error/503.json
expect_status 404 "nginx's error bodies are not reachable directly"

# Without the application nginx cannot connect (502): clients see 503 "unavailable".
app_stop
http GET /api/v1/health
expect_error 503 unavailable
app_start
http GET /api/v1/health
expect_status 200 "the API answers again once jiceng is back"

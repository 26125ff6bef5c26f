#!/usr/bin/env bash
# What the Jiceng login costs another application behind the same nginx
# (nginx/jiceng-protect.conf): the stack's /demo-app/ with a valid session cookie (nginx
# auth_request, a FastCGI request to GET /api/v1/auth/check that reads the session, then the
# proxied request to the echo server), beside nginx's own `return 200` (/__bench/return200) and
# the check asked directly, at 64 connections (throughput) and at 4 (latency). Rounds are
# interleaved, so a slow moment of the machine falls on all paths alike; medians are printed.
#
# Targets (issue 3): /demo-app/ at least 15% of return200's requests/s at 64 connections, p99
# under 3 ms at 4 connections.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

user=heping-clerk
cookie=$(bench_login "$user")
access_log=$STACK_LOGS/nginx-access.log
TARGETS=(
    "return200|/__bench/return200|$cookie"
    "check|/api/v1/auth/check|$cookie"
    "demo-app|/demo-app/|$cookie"
)
declare -A WANT=([/__bench/return200]=200 [/api/v1/auth/check]=204 [/demo-app/]=200)

# The cookie must let us in: a 303 to the login page is a 3xx, which wrk counts as a success.
seen=$(curl -sS --max-time 10 -H "Cookie: $cookie" "$BASE_URL/demo-app/" | jq -r .user)
[[ $seen == "$user" ]] || stack_fail "/demo-app/ with $user's session answered as '$seen'"

# bench_unexpected NAME PATH (called by bench_compare): requests for PATH that nginx logged
# since BENCH_LOG_MARK with another status than the expected one. 499 (client gone) is wrk
# closing its connections at the end of a run with requests still in flight.
bench_unexpected() {
    tail -c +"$((BENCH_LOG_MARK + 1))" "$access_log" | awk -F'"' -v path="$2" -v want="${WANT[$2]}" '
        { split($2, r, " "); split($3, s, " ") }
        r[2] == path && s[1] != want && s[1] != 499 { n++ }
        END { print n + 0 }'
}

bench_warm 64 "${TARGETS[@]}"
bench_header
for connections in 64 4; do
    bench_compare "$connections" "${TARGETS[@]}"
done

ratio=$(bench_ratio "${FIG[demo-app,64,rps]}" "${FIG[return200,64,rps]}")
echo
bench_verdict "/demo-app/ at >= 15% of return200's req/s at 64 connections ($ratio)" "$ratio >= 0.15"
bench_verdict "/demo-app/ p99 under 3 ms at 4 connections (${FIG[demo-app,4,p99]} ms)" \
    "${FIG[demo-app,4,p99]} < 3"

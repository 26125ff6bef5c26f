#!/usr/bin/env bash
# HTTP throughput and latency through nginx, each path beside nginx's own `return 200`
# (/__bench/return200, nginx/stack-nginx.conf) measured in the same run: at 64 connections for
# throughput (the machine is saturated) and at 4 for latency (it is not).
#   /api/v1/health                          answered from memory (the monitor's last check)
#   /api/v1/regions/21/children?limit=50    a page of the division table, as liaoning-admin
# Rounds are interleaved (every path once, then again), so a slow moment of the machine falls on
# all of them alike; the median of the rounds is printed, with the CPU time per request.
# Targets (issue 2): health at least 20% of return200's requests/s at 64 connections; region
# children at least 8,000 requests/s at 64 connections and p99 under 5 ms at 4.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

cookie=$(bench_login liaoning-admin)
TARGETS=(
    "return200|/__bench/return200|"
    "health|/api/v1/health|"
    "children|/api/v1/regions/21/children?limit=50|$cookie"
)
bench_warm 64 "${TARGETS[@]}"
bench_header
for connections in 64 4; do
    bench_compare "$connections" "${TARGETS[@]}"
done

echo
ratio=$(bench_ratio "${FIG[health,64,rps]}" "${FIG[return200,64,rps]}")
bench_verdict "health >= 20% of return200's req/s at 64 connections ($ratio)" "$ratio >= 0.20"
bench_verdict "region children >= 8000 req/s at 64 connections (${FIG[children,64,rps]})" \
    "${FIG[children,64,rps]} >= 8000"
bench_verdict "region children p99 < 5 ms at 4 connections (${FIG[children,4,p99]} ms)" \
    "${FIG[children,4,p99]} < 5"

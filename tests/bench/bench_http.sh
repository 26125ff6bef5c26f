#!/usr/bin/env bash
# HTTP throughput and latency through nginx, each path beside nginx's own `return 200`
# (/__bench/return200, nginx/stack-nginx.conf) measured in the same run: at 64 connections for
# throughput (the machine is saturated) and at 4 for latency (it is not).
#   /api/v1/health                          answered from memory (the monitor's last check)
#   /api/v1/regions/21/children?limit=50    a page of the division table, as liaoning-admin
# Rounds are interleaved (every path once, then again), so a slow moment of the machine falls on
# all of them alike; the median of the rounds is printed.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

cookie=$(bench_login liaoning-admin)
PATHS=(/__bench/return200 /api/v1/health '/api/v1/regions/21/children?limit=50')
# wrk arguments per path: the session cookie for the data (harmless elsewhere).
ARGS=(-H "Cookie: $cookie")

# A short run of each first: connections, caches and MariaDB's buffer pool warm up.
for path in "${PATHS[@]}"; do
    BENCH_DURATION=2 bench_wrk 64 "$path" "${ARGS[@]}"
done

bench_header
for connections in 64 4; do
    declare -A rps=() p50=() p99=() bad=()
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        for path in "${PATHS[@]}"; do
            bench_wrk "$connections" "$path" "${ARGS[@]}"
            rps[$path]+="$BENCH_RPS "
            p50[$path]+="$BENCH_P50 "
            p99[$path]+="$BENCH_P99 "
            bad[$path]=$((${bad[$path]:-0} + BENCH_BAD))
        done
    done
    base=()
    for path in "${PATHS[@]}"; do
        # shellcheck disable=SC2086 # the lists are space-separated numbers
        figures=("$(bench_median ${rps[$path]})" "$(bench_median ${p50[$path]})"
            "$(bench_median ${p99[$path]})")
        ((${#base[@]})) || base=("${figures[@]}")
        note=''
        ((bad[$path] == 0)) || note="(${bad[$path]} errors or non-2xx answers!)"
        bench_row "$path" "$connections" "${figures[@]}" "${base[@]}" "$note"
    done
    unset rps p50 p99 bad
done

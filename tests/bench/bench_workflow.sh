#!/usr/bin/env bash
# The workflow of re-elections (issue 6) with 100,000 requests under way, each beside nginx's
# own `return 200` measured in the same run and with the CPU milliseconds jiceng and mariadbd
# spent per request (the figure to compare on a busy machine):
#   inbox      the first page of hunhewan-approver's inbox (浑河湾街道 210102001), which holds
#              most of the requests: GET /api/v1/inbox
#   approve    approvals of step 1 by hunhewan-approver, each of another request, each audited
#   oversight  the re-election oversight of the province as liaoning-admin, with its overdue
#              list: GET /api/v1/oversight/reelections
# Targets: inbox p99 under 15 ms at 4 connections; approve p99 under 20 ms at 4 and at least
# 1,000 approvals/s at 32; the province's overdue list (oversight) under 200 ms.
# The requests are made here straight in the database (originator bench-clerk, made again at
# each run): two steps each, the township's and the county's, so an approval moves a request on
# without ending it.
# shellcheck source=tests/bench/lib.sh
source "$(dirname "$0")/lib.sh"

AT_TOWNSHIP=${BENCH_AT_TOWNSHIP:-80000}
ELSEWHERE=${BENCH_ELSEWHERE:-20000}
db() { mariadb --defaults-file="$STACK_DB_ADMIN_CNF" --batch --skip-column-names -e "$1"; }

seed_started=$(date +%s.%N)
db "DELETE s FROM workflow_request_step s JOIN workflow_request r ON r.id = s.request_id
      WHERE r.originator = 'bench-clerk';
    DELETE FROM workflow_request WHERE originator = 'bench-clerk';
    INSERT INTO workflow_request (kind, subject_id, organisation_id, region, org_level, state,
        current_step, step_count, pending_region, pending_role, pending_since, originator,
        originator_region, submitted_at, version)
    SELECT 'reelection_plan', 0, o.id, o.region, o.level, 'in_progress', 1, 2, '210102001',
           'approver', NOW(3) - INTERVAL s.seq MINUTE, 'bench-clerk', o.region, NOW(3), 2
    FROM seq_1_to_$AT_TOWNSHIP s
    JOIN (SELECT id, region, level, ROW_NUMBER() OVER (ORDER BY id) - 1 AS n, COUNT(*) OVER () AS c
          FROM organisation WHERE region LIKE '210102001_%' AND level = 5) o ON o.n = s.seq % o.c;
    INSERT INTO workflow_request (kind, subject_id, organisation_id, region, org_level, state,
        current_step, step_count, pending_region, pending_role, pending_since, originator,
        originator_region, submitted_at, version)
    SELECT 'reelection_plan', 0, id, region, level, 'in_progress', 1, 2, LEFT(region, 9),
           'approver', NOW(3), 'bench-clerk', region, NOW(3), 2
    FROM organisation WHERE level = 5 AND region NOT LIKE '210102001%' ORDER BY id LIMIT $ELSEWHERE;
    INSERT INTO workflow_request_step (request_id, seq, region, acting_region, level, role, mode, state)
    SELECT id, 1, region, pending_region, 4, 'approver', 'approve', 'pending'
    FROM workflow_request WHERE originator = 'bench-clerk'
    UNION ALL SELECT id, 2, region, LEFT(region, 6), 3, 'approver', 'approve', 'waiting'
    FROM workflow_request WHERE originator = 'bench-clerk';
    ANALYZE TABLE workflow_request, workflow_request_step, workflow_event" >/dev/null
echo "seed: $(db "SELECT COUNT(*) FROM workflow_request WHERE state = 'in_progress'") requests under way," \
    "$(awk -v a="$seed_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

approver=$(bench_login hunhewan-approver)
admin=$(bench_login liaoning-admin)
status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $approver" "$BASE_URL/api/v1/inbox")
[[ $status == 200 ]] || stack_fail "the inbox answered $status"
overdue=$(curl -sS -H "Cookie: $admin" "$BASE_URL/api/v1/oversight/reelections" | jq '.totals.overdue')
echo "oversight: $overdue organisations of the province overdue"

# ids: the requests still waiting at the township's step, in a file for approve.lua.
ids=$(mktemp)
trap 'rm -f "$ids"' EXIT
approve() { # CONNECTIONS
    db "SELECT id FROM workflow_request WHERE pending_region = '210102001'
        AND originator = 'bench-clerk' AND current_step = 1 ORDER BY id" >"$ids"
    BENCH_COOKIE=$approver BENCH_IDS=$ids \
        BENCH_WRK_THREADS=$((BENCH_THREADS < $1 ? BENCH_THREADS : $1)) \
        bench_wrk "$1" /api/v1/inbox -s "$BENCH_DIR/approve.lua"
}
BENCH_DURATION=2 bench_wrk 4 /api/v1/inbox -H "Cookie: $approver"
BENCH_DURATION=2 approve 4
audited=$(db "SELECT COUNT(*) FROM audit_log WHERE entity = 'workflow_request' AND action = 'approve'")

declare -A FIG
bench_header
hz=$(getconf CLK_TCK)
for connections in 32 4; do
    # jiceng and mariadb: the CPU ticks they spent, a figure that holds on a busy machine.
    declare -A rps=() p50=() p99=() bad=() jiceng=() mariadb=() requests=()
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        for name in return200 inbox approve oversight; do
            read -ra before <<<"$(bench_cpu_ticks)"
            case $name in
            return200) bench_wrk "$connections" /__bench/return200 ;;
            inbox) bench_wrk "$connections" /api/v1/inbox -H "Cookie: $approver" ;;
            approve) approve "$connections" ;;
            oversight) bench_wrk "$connections" /api/v1/oversight/reelections -H "Cookie: $admin" ;;
            esac
            read -ra after <<<"$(bench_cpu_ticks)"
            jiceng[$name]=$((${jiceng[$name]:-0} + after[0] - before[0]))
            mariadb[$name]=$((${mariadb[$name]:-0} + after[1] - before[1]))
            requests[$name]=$((${requests[$name]:-0} + BENCH_REQUESTS))
            rps[$name]+="$BENCH_RPS "
            p50[$name]+="$BENCH_P50 "
            p99[$name]+="$BENCH_P99 "
            bad[$name]=$((${bad[$name]:-0} + BENCH_BAD))
        done
    done
    base=()
    for name in return200 inbox approve oversight; do
        # shellcheck disable=SC2086 # the lists are space-separated numbers
        figures=("$(bench_median ${rps[$name]})" "$(bench_median ${p50[$name]})"
            "$(bench_median ${p99[$name]})")
        ((${#base[@]})) || base=("${figures[@]}")
        FIG[$name,$connections,rps]=${figures[0]}
        FIG[$name,$connections,p99]=${figures[2]}
        note="$name$(awk -v j="${jiceng[$name]}" -v m="${mariadb[$name]}" -v n="${requests[$name]}" \
            -v hz="$hz" 'BEGIN { if (n > 0) printf "  cpu/req: jiceng %.3f ms, mariadb %.3f ms", 1000 * j / hz / n, 1000 * m / hz / n }')"
        ((bad[$name] == 0)) || note+=" (${bad[$name]} errors or non-2xx answers!)"
        bench_row "$name" "$connections" "${figures[@]}" "${base[@]}" "$note"
    done
    unset rps p50 p99 bad jiceng mariadb requests
done
echo "approvals audited during the runs: $(($(db "SELECT COUNT(*) FROM audit_log
    WHERE entity = 'workflow_request' AND action = 'approve'") - audited))"

verdict() {
    if awk "BEGIN { exit !($2) }"; then echo "target $1: met"; else echo "target $1: NOT MET"; fi
}
echo
verdict "inbox p99 < 15 ms at 4 connections (${FIG[inbox,4,p99]} ms)" "${FIG[inbox,4,p99]} < 15"
verdict "approve p99 < 20 ms at 4 connections (${FIG[approve,4,p99]} ms)" "${FIG[approve,4,p99]} < 20"
verdict "approve >= 1000/s at 32 connections (${FIG[approve,32,rps]})" "${FIG[approve,32,rps]} >= 1000"
verdict "oversight of the province p99 < 200 ms at 4 connections (${FIG[oversight,4,p99]} ms)" \
    "${FIG[oversight,4,p99]} < 200"

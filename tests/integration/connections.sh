#!/usr/bin/env bash
# The connections nginx opens to jiceng (fcgi/connections.c): nginx keeps them for the next
# request, and jiceng serves every open connection without tying a worker to an idle one. Spoken
# to over jiceng's socket directly by tests/integration/fastcgi.mjs, as nginx would; then
# through nginx, which must reuse its connections.
source "$(dirname "$0")/lib.sh"

descriptors() { find "/proc/$(<"$STACK_JICENG_PIDFILE")/fd" -mindepth 1 | wc -l; }
# Connections to jiceng's socket now open: connected (state 03) sockets bearing its path, which
# the ones jiceng accepted do.
connections() { awk -v path="$STACK_JICENG_SOCKET" '$6 == "03" && $8 == path' /proc/net/unix | wc -l; }

workers=$(awk -F' *= *' '$1 == "workers" { print $2 }' "$CONFIG")
before=$(descriptors)
while read -r result description; do
    if [[ $result == ok ]]; then pass "$description"; else fail "$description"; fi
done < <(node "$(dirname "$0")/fastcgi.mjs" "$STACK_JICENG_SOCKET" "$workers" || echo "FAIL fastcgi.mjs ended with an error")

# Every connection the client closed is closed by jiceng too: none is left behind.
back_to_before() { (($(descriptors) <= before)); }
check "jiceng holds no descriptor of a closed connection ($before before)" wait_until back_to_before

# Through nginx: requests reuse kept connections, which stay open after their answers (without
# keepalive nginx would close each one with its request).
for _ in $(seq 20); do
    http GET /api/v1/health
done
expect_status 200
kept=$(connections)
check "nginx keeps connections to jiceng open between requests ($kept open)" test "$kept" -ge 1

#!/usr/bin/env bash
# A browser test of the web UI, as an integration test: run.sh [FILE], FILE one of the
# *.test.mjs here (default ui.test.mjs). ctest starts the test stack first
# (tests/stack-fixture) and passes JICENG_TEST_STATE. Drives Debian's chromium, headless, with
# playwright-core from the cache (stack/packages puts it there).
set -euo pipefail

test_file=${1:-ui.test.mjs}

: "${JICENG_TEST_STATE:?run the browser test through ctest, which starts the test stack}"
if [[ ! -s $JICENG_TEST_STATE/env ]]; then
    echo "error: no test stack in $JICENG_TEST_STATE (did stack.up fail?)" >&2
    exit 1
fi
# shellcheck source=/dev/null
source "$JICENG_TEST_STATE/env"

# Installs playwright-core unless the cache has it (then it returns at once).
bash "$JICENG_SOURCE/stack/packages" --data-only
export BASE_URL DEMO_PASSWORD
export JICENG_BROWSER_MODULES=${JICENG_CACHE:-$JICENG_SOURCE/.cache}/browser/node_modules
export JICENG_CHROMIUM=${JICENG_CHROMIUM:-/usr/bin/chromium}
status=0
node "$(dirname "${BASH_SOURCE[0]}")/$test_file" || status=$?
# ui.test.mjs's lockout scenario leaves a locked username; the tests after it start without it.
db_admin -e 'DELETE FROM login_throttle'
exit "$status"

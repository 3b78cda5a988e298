#!/usr/bin/env bash
# Puts the demo's ansible, ansible-playbook, ansible-doc and the collection within reach of your shell,
# with a local sandbox to try them on (TELNYX_API_URL and TELNYX_API_KEY point at it):
#
#     eval "$(bash scripts/env.sh)"       # then: ansible localhost -m telnyx.account_access.billing_group_info
#     bash scripts/env.sh --stop          # stops that sandbox
#
# It prints the exports (everything else goes to stderr). For a real account afterwards:
# export TELNYX_API_KEY=<your key>; unset TELNYX_API_URL
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE="$ROOT/build/sandbox-env"
if [ "${1:-}" = "--stop" ]; then
    [ -f "$STATE.pid" ] && kill "$(cat "$STATE.pid")" 2>/dev/null && echo "== sandbox stopped" >&2
    rm -f "$STATE.pid" "$STATE.url"
    exit 0
fi

ensure_demo_venv >&2
sync_collection_tree
if [ -f "$STATE.pid" ] && kill -0 "$(cat "$STATE.pid")" 2>/dev/null; then
    SANDBOX_URL=$(cat "$STATE.url")   # the sandbox of an earlier call is still up
else
    start_sandbox "$ROOT/build/logs/sandbox-env.out" >&2
    echo "$SANDBOX_PID" > "$STATE.pid"
    echo "$SANDBOX_URL" > "$STATE.url"
fi
echo "== sandbox at $SANDBOX_URL (bash scripts/env.sh --stop stops it)" >&2

cat <<EXPORTS
export PATH="$DEMO_VENV/bin:\$PATH"
export ANSIBLE_COLLECTIONS_PATH="$COLLECTION_ROOT"
export TELNYX_API_URL="$SANDBOX_URL" TELNYX_API_KEY=sandbox-key
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
EXPORTS

#!/usr/bin/env bash
# The README's run command: start the local Telnyx sandbox and run the demo playbook against it,
# from a fresh machine. Extra arguments go to ansible-playbook (-C, --diff, -v).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_demo_venv
sync_collection_tree
start_sandbox "$ROOT/build/logs/sandbox-demo.out"
trap stop_sandbox EXIT
echo "== sandbox at $SANDBOX_URL"

# The demo runs on the implicit localhost: no inventory, and no warning about it.
TELNYX_API_URL=$SANDBOX_URL TELNYX_API_KEY=sandbox-key \
ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
    ansible-playbook "$COLLECTION_DIR/playbooks/demo.yml" "$@"

testkit sandbox summary
echo "== demo took $SECONDS s, set-up included"

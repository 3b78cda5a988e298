#!/usr/bin/env bash
# Regenerate the module, filter and role reference in docs/reference/ from the collection itself
# (antsibull-docs). The test command's docs-current step fails when it is stale.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
sync_collection_tree
generate_reference "$ROOT/docs/reference"
echo "== docs/reference regenerated: $(find "$ROOT/docs/reference" -name '*.rst' | wc -l) pages"

#!/usr/bin/env bash
# Regenerate the module, filter and role reference in docs/reference/ from the collection itself
# (antsibull-docs), then build the HTML docsite (Sphinx) into build/docs/html/. The test command's
# docs-current step fails when docs/reference is stale; its docs-site step builds the site.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
sync_collection_tree
generate_reference "$ROOT/docs/reference"
echo "== docs/reference regenerated: $(find "$ROOT/docs/reference" -name '*.rst' | wc -l) pages"
begin=$SECONDS
build_site "$ROOT"
echo "== HTML docsite built in $((SECONDS - begin)) s: $(find "$ROOT/build/docs/html" -name '*.html' | wc -l) pages; open build/docs/html/index.html"

#!/usr/bin/env bash
# Cut a release: antsibull-changelog turns changelogs/fragments/ into changelogs/changelog.yaml and
# CHANGELOG.rst for the version in galaxy.yml (it asks ansible-doc which plugins are new). Then commit,
# and build the tarball with ansible-galaxy collection build, as the test command does.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
sync_collection_tree
cd "$ROOT"
antsibull-changelog release "$@"
echo "== released $(awk '$1 == "version:" {print $2}' galaxy.yml): see CHANGELOG.rst"

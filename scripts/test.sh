#!/usr/bin/env bash
# Every test and gate, from a fresh machine: the README's test command, called by .ci/run.
# Ends with one line: "N passed, N failed". Arguments pick steps by name (default: all).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ANSIBLE_TEST_PYTHON=3.11
LOGS="$ROOT/build/logs"
passed=0
failed=0
started=$(date +%s)

ONLY=("$@")  # step names to run (default: all), e.g. scripts/test.sh units integration

step() {
    local name=$1; shift
    if [ ${#ONLY[@]} -gt 0 ] && [[ " ${ONLY[*]} " != *" $name "* ]]; then
        return 0
    fi
    local begin=$SECONDS
    if "$@" > "$LOGS/$name.log" 2>&1; then
        passed=$((passed + 1))
        printf 'PASS %-24s %4ss\n' "$name" $((SECONDS - begin))
        # The evidence suites' figures, and the leak checks' counts.
        grep -E '^(faults|load|bad_input|leak_search|leak_check):' "$LOGS/$name.log" | sed 's/^/    /'
    else
        failed=$((failed + 1))
        printf 'FAIL %-24s %4ss (log: build/logs/%s.log)\n' "$name" $((SECONDS - begin)) "$name"
        tail -n 80 "$LOGS/$name.log" | sed 's/^/    /'
    fi
}

in_tree() { (cd "$COLLECTION_DIR" && "$@"); }

sandbox_tests() { "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$ROOT/tests/sandbox"; }

sanity() { in_tree ansible-test sanity --venv --python "$ANSIBLE_TEST_PYTHON" --color no; }

units() { in_tree ansible-test units --venv --python "$ANSIBLE_TEST_PYTHON" --color no; }

integration() {
    start_sandbox "$LOGS/sandbox-integration.out" || return 1
    cat > "$COLLECTION_DIR/tests/integration/integration_config.yml" <<YAML
telnyx_api_url: $SANDBOX_URL
telnyx_api_key: sandbox-key
sandbox_url: $SANDBOX_BASE
YAML
    # INTEGRATION_TARGETS="leak_check adhoc" runs only those targets. At -vvvv, so that the
    # leak search that follows reads everything Ansible can show.
    # shellcheck disable=SC2086
    in_tree ansible-test integration -vvvv --venv --python "$ANSIBLE_TEST_PYTHON" --color no ${INTEGRATION_TARGETS:-}
    local rc=$?
    "$VENV/bin/python" -c 'import sys, urllib.request as u; sys.stdout.write(u.urlopen(sys.argv[1]).read().decode())' \
        "$SANDBOX_BASE/_sandbox/secrets" > "$LOGS/secrets-seen.json" || rc=1
    stop_sandbox
    return $rc
}

# Every secret the sandbox saw during the integration run, searched for in its output and files.
# Kept out: files a test writes a secret into on purpose, and the junit reports (*.xml), which
# repeat the tests' own task arguments: assertions that spell out the secret value expected.
leak_search() {
    "$VENV/bin/python" "$ROOT/tests/evidence/leak_search.py" "$LOGS/secrets-seen.json" "$LOGS/integration.log" \
        --files "$COLLECTION_DIR/tests/output" --keep '*.jwt' 'secrets.yml' 'made.txt' '*.xml'
}

# The evidence suites (tests/evidence/): faults, concurrent load, bad input.
evidence() { "$VENV/bin/python" "$ROOT/tests/evidence/$1.py" "${@:2}"; }

lint() { in_tree ansible-lint --profile production --offline; }

docs_lint() { in_tree antsibull-docs lint-collection-docs --plugin-docs .; }

changelog_lint() { in_tree antsibull-changelog lint; }

build_and_import() {
    rm -rf "$ROOT/build/dist"
    in_tree ansible-galaxy collection build --force --output-path "$ROOT/build/dist" || return 1
    local tarball
    tarball=$(ls "$ROOT"/build/dist/telnyx-account_access-*.tar.gz)
    # It writes importer_result.json into the working directory: keep that in build/.
    (cd "$ROOT/build" && "$VENV/bin/python" -m galaxy_importer.main "$tarball") > "$LOGS/galaxy-importer.out" 2>&1
    local rc=$?
    cat "$LOGS/galaxy-importer.out"
    # The importer exits 0 even when its checks complain: its warnings count as failures.
    if [ $rc -ne 0 ] || grep -E '(WARNING|ERROR)' "$LOGS/galaxy-importer.out"; then
        return 1
    fi
}

main() {
    mkdir -p "$LOGS"
    ensure_venv
    ensure_get_pip_cache
    sync_collection_tree
    step sandbox sandbox_tests
    step sanity sanity
    step units units
    step integration integration
    step leak-search leak_search
    step fault-suite evidence faults
    step load-suite evidence load --rate-limit 10
    step bad-input-table evidence bad_input
    step ansible-lint lint
    step antsibull-docs-lint docs_lint
    step antsibull-changelog-lint changelog_lint
    step build-and-galaxy-importer build_and_import
    echo "wall time: $(( $(date +%s) - started )) s"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

main

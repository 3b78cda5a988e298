# shellcheck shell=bash
# Live mode (sourced by scripts/test.sh, after lib.sh): the `live` integration target against a
# real Telnyx account, and the proof that it deletes exactly what it created, run against the sandbox.
#
#   TELNYX_LIVE_API_KEY=... bash scripts/test.sh live
#
# TELNYX_LIVE_API_URL (default https://api.telnyx.com/v2), TELNYX_LIVE_CONNECTION_ID (a credential
# connection: telephony credentials and tokens are skipped without it), TELNYX_LIVE_PREFIX (default
# ansible-live-<UTC time>-<random hex>), TELNYX_LIVE_FAIL_AFTER=<resource> (fail on purpose there).

# A step function's exit code for "skipped" (scripts/test.sh counts it apart from passed and failed).
SKIPPED=77

live_new_prefix() {
    echo "ansible-live-$(date -u +%Y%m%d-%H%M%S)-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
}

# The live target, once. Its integration_config.yml holds the key only while ansible-test runs
# (mode 0600, removed on exit); ansible-test runs at -v, which never shows module arguments.
live_mode() (
    if [ -z "${TELNYX_LIVE_API_KEY:-}" ]; then
        echo "live: skipped: TELNYX_LIVE_API_KEY is not set (live mode runs the live target against a real Telnyx account; see README)"
        return "$SKIPPED"
    fi
    local prefix=${TELNYX_LIVE_PREFIX:-$(live_new_prefix)}
    local config="$COLLECTION_DIR/tests/integration/integration_config.yml"
    if [[ ! $prefix =~ ^ansible-live-[a-z0-9-]+$ ]]; then
        echo "live: TELNYX_LIVE_PREFIX must match ^ansible-live-[a-z0-9-]+\$, got '$prefix'"
        return 1
    fi
    trap 'rm -f "$config"' EXIT
    rm -f "$config"
    # Values through the environment, never on a command line.
    testkit live config "$config" "$prefix" || return 1
    echo "live: run prefix $prefix against ${TELNYX_LIVE_API_URL:-https://api.telnyx.com/v2}"
    [ -z "${TELNYX_LIVE_FAIL_AFTER:-}" ] || echo "live: TELNYX_LIVE_FAIL_AFTER=$TELNYX_LIVE_FAIL_AFTER: this run fails on purpose"
    local out="$ROOT/build/live-run.out" rc
    in_tree ansible-test integration -v --venv --python "${ANSIBLE_TEST_PYTHON:-3.11}" --color no --allow-unsupported live |
        tee "$out"
    rc=${PIPESTATUS[0]}
    # The parts skipped and why, and what the cleanup and the sweep did, as figure lines.
    sed -n 's/^ *"msg": "\([a-z_ ]* skipped: .*\|cleanup: .*\|sweep: .*\)"$/live: \1/p' "$out"
    rm -f "$out"
    return "$rc"
)

# The proof, against a fresh sandbox seeded with bystanders of every resource type (some named like
# the run's prefix without carrying it): a successful run, one that fails on purpose in the middle
# (TELNYX_LIVE_FAIL_AFTER), and one whose create answers an error after the object was made (only the
# sweep by prefix can find it). After each: every bystander unchanged, nothing of the run left, one
# delete per create, no write to a bystander; and no secret the sandbox saw in the runs' output or files.
live_proof() {
    local prefix1 prefix2 prefix3 rc=0 fail_after=authentication_provider
    local work="$ROOT/build/live-proof"
    # The target never purges and never calls the sandbox's control endpoints.
    if grep -rnE '_sandbox/|^[[:space:]]*purge:' "$ROOT/tests/integration/targets/live"; then
        echo "live_proof: the live target uses purge or a sandbox control endpoint"
        return 1
    fi
    rm -rf "$work"
    mkdir -p "$work"
    prefix1=$(live_new_prefix)
    prefix2=$(live_new_prefix)
    prefix3=$(live_new_prefix)
    start_sandbox "$LOGS/sandbox-live-proof.out" || return 1
    live_proof_py seed "$work" "$prefix1" "$prefix2" "$prefix3" || { stop_sandbox; return 1; }

    echo "== live run 1 (prefix $prefix1), expected to pass"
    live_proof_py clear "$work"
    TELNYX_LIVE_API_KEY=sandbox-key TELNYX_LIVE_API_URL=$SANDBOX_URL TELNYX_LIVE_CONNECTION_ID=1684641123236054244 \
        TELNYX_LIVE_PREFIX=$prefix1 TELNYX_LIVE_FAIL_AFTER='' live_mode > "$LOGS/live-proof-run1.log" 2>&1
    local rc1=$?
    tail -n 25 "$LOGS/live-proof-run1.log" | sed "s/^/  run1| /"
    [ "$rc1" -eq 0 ] || { echo "live_proof: run 1 exited $rc1 (log: build/logs/live-proof-run1.log)"; rc=1; }
    live_proof_py check "$work" "$prefix1" run1 || rc=1

    echo "== live run 2 (prefix $prefix2), failing on purpose after $fail_after"
    live_proof_py clear "$work"
    TELNYX_LIVE_API_KEY=sandbox-key TELNYX_LIVE_API_URL=$SANDBOX_URL TELNYX_LIVE_CONNECTION_ID=1684641123236054244 \
        TELNYX_LIVE_PREFIX=$prefix2 TELNYX_LIVE_FAIL_AFTER=$fail_after live_mode > "$LOGS/live-proof-run2.log" 2>&1
    local rc2=$?
    tail -n 25 "$LOGS/live-proof-run2.log" | sed "s/^/  run2| /"
    if [ "$rc2" -eq 0 ]; then
        echo "live_proof: run 2 should have failed (TELNYX_LIVE_FAIL_AFTER=$fail_after) but exited 0"; rc=1
    elif ! grep -q "forced failure after $fail_after" "$LOGS/live-proof-run2.log"; then
        echo "live_proof: run 2 failed, but not where it was asked to (log: build/logs/live-proof-run2.log)"; rc=1
    fi
    live_proof_py check "$work" "$prefix2" run2 || rc=1

    # An object whose create answered an error after the API made it has no recorded id: the sweep
    # by prefix must find and delete it. (After a 400/409/422 or an ambiguous failure the module looks
    # for the object and adopts it; a 403 is taken at its word, so the run fails and the object is left.)
    echo "== live run 3 (prefix $prefix3): the integration secret's create answers 403 after the sandbox made it"
    live_proof_py clear "$work"
    live_proof_py fault "$work" '{"method": "POST", "path": "/v2/integration_secrets", "status": 403, "after_effect": true}'
    TELNYX_LIVE_API_KEY=sandbox-key TELNYX_LIVE_API_URL=$SANDBOX_URL TELNYX_LIVE_CONNECTION_ID=1684641123236054244 \
        TELNYX_LIVE_PREFIX=$prefix3 TELNYX_LIVE_FAIL_AFTER='' live_mode > "$LOGS/live-proof-run3.log" 2>&1
    local rc3=$?
    tail -n 25 "$LOGS/live-proof-run3.log" | sed "s/^/  run3| /"
    if [ "$rc3" -eq 0 ] || ! grep -q "sweep: 1 objects with prefix $prefix3 found after the cleanup; none left" "$LOGS/live-proof-run3.log"; then
        echo "live_proof: run 3 should have failed at the integration secret, and its sweep deleted that secret (log: build/logs/live-proof-run3.log)"; rc=1
    fi
    live_proof_py check "$work" "$prefix3" run3 || rc=1

    # No secret the sandbox saw (the key, secret values, SIP passwords, minted tokens) in either run's
    # output or in a file ansible-test wrote.
    live_proof_py secrets "$work" || rc=1
    stop_sandbox
    cat "$LOGS"/live-proof-run[123].log > "$work/runs.log"
    "$VENV/bin/python" "$ROOT/tests/evidence/leak_search.py" "$work/secrets.json" "$work/runs.log" \
        --files "$COLLECTION_DIR/tests/output" || rc=1
    [ "$rc" -eq 0 ] && live_proof_py summary "$work" "$fail_after"
    return $rc
}

# seed WORK PREFIX...: bystanders; clear WORK: empty the request log; fault WORK JSON: queue a fault;
# check WORK PREFIX RUN: the assertions after a run (writes WORK/RUN.json); secrets WORK: what the
# sandbox saw, for leak_search; summary WORK FAIL_AFTER: the figures line (tests/testkit/live_proof.py).
live_proof_py() { testkit live-proof "$@"; }

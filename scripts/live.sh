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
    # Values through the environment, never on a command line; JSON strings are YAML.
    (umask 077 && LIVE_PREFIX=$prefix "$VENV/bin/python" - "$config" <<'PY'
import json, os, sys
env = os.environ
values = {
    "live_api_url": env.get("TELNYX_LIVE_API_URL") or "https://api.telnyx.com/v2",
    "live_api_key": env["TELNYX_LIVE_API_KEY"],
    "live_connection_id": env.get("TELNYX_LIVE_CONNECTION_ID", ""),
    "live_prefix": env["LIVE_PREFIX"],
    "live_fail_after": env.get("TELNYX_LIVE_FAIL_AFTER", ""),
}
with open(sys.argv[1], "w") as handle:
    handle.writelines("%s: %s\n" % (key, json.dumps(value)) for key, value in values.items())
PY
    ) || return 1
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
    [ "$rc" -eq 0 ] && "$VENV/bin/python" - "$work" "$fail_after" <<'PY'
import json, sys
runs = [json.load(open("%s/%s.json" % (sys.argv[1], run))) for run in ("run1", "run2", "run3")]
print("live_proof: %d objects created and removed by the run, %d bystanders untouched, %d requests;"
      " failed on purpose after %s: %d created and removed, %d requests; an ambiguous create: %d created and removed"
      " (1 by the sweep), %d requests; %d DELETEs in all, none on a bystander"
      % (runs[0]["created"], runs[0]["bystanders"], runs[0]["requests"], sys.argv[2], runs[1]["created"],
         runs[1]["requests"], runs[2]["created"], runs[2]["requests"], sum(run["deletes"] for run in runs)))
PY
    return $rc
}

# seed WORK PREFIX...: bystanders; clear WORK: empty the request log; fault WORK JSON: queue a fault;
# check WORK PREFIX RUN: the assertions after a run (writes WORK/RUN.json); secrets WORK: what the
# sandbox saw, for leak_search.
live_proof_py() {
    "$VENV/bin/python" - "$SANDBOX_BASE" "$@" <<'PY'
import json, sys, urllib.request

base, command, work = sys.argv[1:4]
args = sys.argv[4:]
PATHS = ["billing_groups", "access_ip_address", "access_ip_ranges", "addresses", "authentication_providers",
         "integration_secrets", "telephony_credentials"]
KEYS = ["name", "short_name", "identifier", "customer_reference", "description"]


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        text = response.read().decode()
    return json.loads(text) if text else None


def lookalikes(prefix):
    # Named like a run's prefix without starting with it.
    return [prefix[:-1], "x-" + prefix, prefix.upper(), "ansible-live-19700101-000000-00000000",
            prefix.replace("ansible-live-", "ansible-live_")]


if command == "seed":
    names = ["ops", "support"] + [n for prefix in args for n in lookalikes(prefix)]
    seed = {
        "billing_groups": [{"name": n + "-billing-group"} for n in names] + [{}],
        "access_ip_address": [{"ip_address": "203.0.113.%d" % (i + 1), "description": n + " access ip"}
                              for i, n in enumerate(names)] + [{"ip_address": "2001:db8::1"}],
        "access_ip_ranges": [{"cidr_block": "10.%d.0.0/16" % i, "description": n + " access ip range"}
                             for i, n in enumerate(names)] + [{"cidr_block": "2001:db8:ffff::/48"}],
        "addresses": [{"customer_reference": n + "-address", "first_name": "By", "last_name": "Stander",
                       "business_name": n, "street_address": "%d Congress Ave" % (i + 1), "locality": "Austin",
                       "administrative_area": "TX", "postal_code": "78701", "country_code": "US"}
                      for i, n in enumerate(names)],
        "authentication_providers": [{"short_name": n + "-sso", "name": n + "-sso provider", "settings": {
            "idp_entity_id": "https://idp.example.com/b", "idp_sso_target_url": "https://idp.example.com/b/sso",
            "idp_cert_fingerprint": "13:38:C7:BB:C9:FF:4A:72:E1:A8:5D:A8:9F:E6:95:0A:64:C8:B5:EC"}} for n in names],
        "integration_secrets": [{"identifier": n + "-secret", "type": "bearer", "token": "bystander-token-%03d" % i}
                                for i, n in enumerate(names)],
        "telephony_credentials": [{"name": n + "-credential", "connection_id": "1684641123236054244", "tag": "bystanders"}
                                  for n in names],
    }
    assert set(seed) == set(PATHS)
    call("POST", "/_sandbox/seed", seed)
    state = call("GET", "/_sandbox/state")
    bystanders = {path: {o["id"]: o for o in state[path]} for path in PATHS}
    json.dump(bystanders, open(work + "/bystanders.json", "w"))
    print("live_proof: seeded %d bystanders" % sum(len(v) for v in bystanders.values()))

elif command == "clear":
    call("DELETE", "/_sandbox/requests")

elif command == "fault":
    call("POST", "/_sandbox/faults", json.loads(args[0]))

elif command == "check":
    prefix, run = args
    bystanders = json.load(open(work + "/bystanders.json"))
    state = call("GET", "/_sandbox/state")
    requests = call("GET", "/_sandbox/requests")["requests"]
    problems = []
    ids = {i for objects in bystanders.values() for i in objects}
    for path in PATHS:
        now = {o["id"]: o for o in state[path]}
        for i, before in bystanders[path].items():
            if now.get(i) != before:
                problems.append("bystander %s/%s changed or gone: %s -> %s" % (path, i, before, now.get(i)))
        for i, obj in now.items():
            if i in ids:
                continue
            carries = any(str(obj.get(k) or "").startswith(prefix) for k in KEYS)
            if carries and not obj.get("deleted_at"):
                problems.append("left behind by the run: %s/%s %s" % (path, i, obj))
            elif not (path == "billing_groups" and obj.get("deleted_at")
                      and str(obj.get("name") or "").startswith("ansible-live-")):
                problems.append("an object that is neither a bystander nor a deleted object of a run: %s/%s %s"
                                % (path, i, obj))
    ok = [r for r in requests if 200 <= r["status"] < 300]
    # A create answered with a fault made the object too: the proof queues only after_effect faults.
    creates = [r for r in requests if r["method"] == "POST" and (200 <= r["status"] < 300 or r["fault"])
               and r["path"].strip("/").split("/")[1:] in [[p] for p in PATHS]]
    deletes = [r for r in ok if r["method"] == "DELETE"]
    for r in requests:
        if r["method"] != "GET" and set(r["path"].split("/")) & ids:
            problems.append("a write to a bystander: %s %s -> %s" % (r["method"], r["path"], r["status"]))
    if not creates or len(deletes) != len(creates):
        problems.append("%d creates and %d deletes (expected some, and one delete per create)" % (len(creates), len(deletes)))
    by_path = {}
    for r in creates + deletes:
        key = "%s %s" % (r["method"], r["path"].split("/")[2])
        by_path[key] = by_path.get(key, 0) + 1
    for problem in problems:
        print("live_proof: " + problem)
    print("%s: %d requests; %s; %d bystanders unchanged" % (run, len(requests), ", ".join(
        "%s %d" % kv for kv in sorted(by_path.items())), sum(len(v) for v in bystanders.values())))
    json.dump({"created": len(creates), "deletes": len(deletes), "requests": len(requests),
               "bystanders": sum(len(v) for v in bystanders.values())}, open("%s/%s.json" % (work, run), "w"))
    sys.exit(1 if problems else 0)

elif command == "secrets":
    json.dump(call("GET", "/_sandbox/secrets"), open(work + "/secrets.json", "w"))
PY
}

#!/usr/bin/env bash
# Leak test: run every secret-handling module, and both roles, at -vvvv with --diff, with a log file
# (ANSIBLE_LOG_PATH), as async jobs under no_log (their job files), and ad hoc with the tree callback; then
# search the output and every file the run wrote for every secret value used or made. Zero hits, or fail.
set -eu

config=../../integration_config.yml
SANDBOX=$(awk '$1 == "sandbox_url:" {print $2}' "$config")
# The test-tool library (tests/testkit) of the collection tree ansible-test runs from.
testkit_path="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/telnyx/account_access/tests"
testkit() { PYTHONPATH="$testkit_path" python -m testkit --base "$SANDBOX" "$@"; }
out="${OUTPUT_DIR:-/tmp}/leak_check"
mkdir -p "$out"
rm -rf "${out:?}"/*
# ansible-test empties its output directory before the next target: what the leak search
# (scripts/test.sh leak_search, over tests/output) must read is copied where it stays, on any exit.
# Files that hold a secret on purpose stay behind.
kept=${JUNIT_OUTPUT_DIR:+$(dirname "$JUNIT_OUTPUT_DIR")/leak_check}
keep_evidence() {
    [ -n "$kept" ] || return 0
    rm -rf "$kept" && mkdir -p "$kept"
    (cd "$out" && find . -type f ! -name '*.jwt' ! -name secrets.yml ! -name made.txt ! -name '*.opt-in' -print0 \
        | xargs -0 -r cp --parents -t "$kept")
}
watcher=
stop_watcher() { [ -z "$watcher" ] || { kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null || true; watcher=; }; }
trap 'stop_watcher; keep_evidence' EXIT

secrets=(leak-token-6a1f0c9e leak-user-2b7d leak-password-93c1e5 leak-set-token-5e2a88 leak-role-token-71d0
         leak-rotation-token-8c3e41 leak-recreate-token-4f19d2 leak-async-token-d40b7e 8842193377123
         "leak-üser-ñame-7c" "leak-pässwörd-ƒ∂ß-日本-41" leak-adhoc-token-0e5a61 "leak-adhoc-ünï-93f2" 5550012399887)
testkit sandbox reset

# Secrets go in a vars file, as a careful user passes them: -vvvv prints command-line extra vars.
# The numbers are YAML numbers: a secret is not always a string.
umask 077
cat > "$out/secrets.yml" <<YAML
leak_token: ${secrets[0]}
leak_username: ${secrets[1]}
leak_password: ${secrets[2]}
leak_set_token: ${secrets[3]}
leak_role_token: ${secrets[4]}
leak_rotation_token: ${secrets[5]}
leak_recreate_token: ${secrets[6]}
leak_async_token: ${secrets[7]}
leak_async_number: ${secrets[8]}
leak_async_unicode_user: "${secrets[9]}"
leak_async_unicode: "${secrets[10]}"
leak_adhoc_token: ${secrets[11]}
leak_adhoc_unicode: "${secrets[12]}"
leak_adhoc_number: ${secrets[13]}
leak_token_file: $out/token.jwt
leak_rotation_token_file: $out/rotation-token.jwt
leak_fact_token_file: $out/fact-token.jwt
leak_async_token_file_prefix: $out/async-token
leak_out: $out
YAML

# Every async job file, also those Ansible deletes once it has polled a job to its end: copied as they change.
export ANSIBLE_ASYNC_DIR="$out/async"
mkdir -p "$ANSIBLE_ASYNC_DIR" "$out/async-seen"
# A simple command in the background, so that $! is the watcher itself: on SIGTERM it sweeps once more.
PYTHONPATH="$testkit_path" python -m testkit leak-check watch "$ANSIBLE_ASYNC_DIR" "$out/async-seen" &
watcher=$!

ANSIBLE_LOG_PATH="$out/ansible.log" ansible-playbook -i "$INVENTORY_PATH" leak.yml -e @"$config" -e @"$out/secrets.yml" \
    -vvvv --diff > "$out/run.txt" 2>&1 || { echo "FAILED: the leak playbook did not run:"; tail -n 40 "$out/run.txt"; exit 1; }

# Ad hoc, as a person types it: an async job (-B/-P) and a plain run, with the tree callback writing each
# result to a file (-t), a log file, -vvvv and --diff. The secrets come from the vars file.
adhoc() {  # adhoc NAME MODULE ARGS [OPTION...]
    local name=$1 module=$2 args=$3; shift 3
    ANSIBLE_LOG_PATH="$out/ansible.log" ansible testhost -i "$INVENTORY_PATH" -m "telnyx.account_access.$module" -a "$args" \
        -e @"$config" -e @"$out/secrets.yml" -t "$out/tree-$name" -vvvv --diff "$@" > "$out/adhoc-$name.txt" 2>&1 \
        || { echo "FAILED: ad hoc $name did not run:"; tail -n 40 "$out/adhoc-$name.txt"; exit 1; }
}
connection='"api_url": "{{ telnyx_api_url }}", "api_key": "{{ telnyx_api_key }}"'
adhoc set resource_set "{$connection, \"type\": \"integration_secret\", \"items\": [
    {\"identifier\": \"leak_adhoc_set\", \"type\": \"bearer\", \"token\": \"{{ leak_adhoc_unicode }}\", \"update_secret\": \"always\"},
    {\"identifier\": \"leak_adhoc_number\", \"type\": \"bearer\", \"token\": \"{{ leak_adhoc_number }}\"}]}" -B 30 -P 2
adhoc secret integration_secret "{$connection, \"identifier\": \"leak_adhoc\", \"type\": \"bearer\",
    \"token\": \"{{ leak_adhoc_token }}\", \"update_secret\": \"always\"}"
adhoc token telephony_credential_token "{$connection, \"name\": \"leak-credential\", \"dest\": \"$out/adhoc-token.jwt\"}" -B 30 -P 0
# -P 0 leaves the job running: wait for its job file to hold the result before the watcher stops.
jid=$(testkit json-field "$out/tree-token/testhost" ansible_job_id)
for dummy in $(seq 150); do grep -q '"started"' "$out/async/$jid" || break; sleep 0.2; done
grep -q '"started"' "$out/async/$jid" && { echo "FAILED: the ad hoc token job did not finish"; exit 1; }
stop_watcher

# What the sandbox made: SIP passwords, after checking that the play's secrets reached it (tests/testkit/leak_check.py).
testkit leak-check made > "$out/made.txt"
mapfile -t made < "$out/made.txt"
jwt_files=(optin-token.jwt token.jwt rotation-token.jwt fact-token.jwt async-token-0.jwt async-token-2.jwt adhoc-token.jwt)
jwts=()
for file in "${jwt_files[@]}"; do jwts+=("$(cat "$out/$file")"); done
[ "$(stat -c %a "$out/rotation-token.jwt")" = 600 ] || { echo "FAILED: the rotation's token file is not mode 0600"; exit 1; }
[ "${#made[@]}" -ge 5 ] && [ "$(printf '%s\n' "${jwts[@]}" | tr -cd '.' | wc -c)" = $((2 * ${#jwts[@]})) ] \
    || { echo "FAILED: the run made no SIP passwords or no JWT to search for"; exit 1; }

# The opt-in job's file holds its token, as return_token's documentation says: proof that the search sees a
# secret in a job file. Those copies are then kept out of the search (renamed *.opt-in), and only those.
read -r optin < "$out/optin-jobs.txt"
optin_files=("$out/async/$optin" "$out"/async-seen/"$optin".*)
grep -qF -- "${jwts[0]}" "$out/async/$optin" \
    || { echo "FAILED: the job file of the return_token job does not hold its token: the search would see nothing"; exit 1; }
for file in "${optin_files[@]}"; do [ -e "$file" ] && mv "$file" "$file.opt-in"; done

# The secrets reach the search on a descriptor of their own: no file of them to search or to keep out.
testkit leak-check search "$out" 3< <(printf '%s\n' "${secrets[@]}" "${made[@]}" "${jwts[@]}" sandbox-key)

#!/usr/bin/env bash
# Leak test: run every secret-handling module, and both roles, at -vvvv with --diff, then search the output
# (and every file the run wrote) for every secret value used or made. Zero hits, or fail.
set -eu

config=../../integration_config.yml
SANDBOX=$(awk '$1 == "sandbox_url:" {print $2}' "$config")
out="${OUTPUT_DIR:-/tmp}/leak_check"
mkdir -p "$out"
rm -f "$out"/*

secrets=(leak-token-6a1f0c9e leak-user-2b7d leak-password-93c1e5 leak-set-token-5e2a88 leak-role-token-71d0
         leak-rotation-token-8c3e41 leak-recreate-token-4f19d2)
python -c 'import urllib.request as u, sys; u.urlopen(u.Request(sys.argv[1] + "/_sandbox/reset", method="POST"))' "$SANDBOX"

# Secrets go in a vars file, as a careful user passes them: -vvvv prints command-line extra vars.
umask 077
cat > "$out/secrets.yml" <<YAML
leak_token: ${secrets[0]}
leak_username: ${secrets[1]}
leak_password: ${secrets[2]}
leak_set_token: ${secrets[3]}
leak_role_token: ${secrets[4]}
leak_rotation_token: ${secrets[5]}
leak_recreate_token: ${secrets[6]}
leak_token_file: $out/token.jwt
leak_rotation_token_file: $out/rotation-token.jwt
leak_fact_token_file: $out/fact-token.jwt
YAML
ansible-playbook -i "$INVENTORY_PATH" leak.yml -e @"$config" -e @"$out/secrets.yml" -vvvv --diff > "$out/run.txt" 2>&1 \
    || { echo "FAILED: the leak playbook did not run:"; tail -n 40 "$out/run.txt"; exit 1; }

# What the sandbox made: SIP passwords, and the JWT the play kept aside.
python - "$SANDBOX" > "$out/made.txt" <<'PY'
import json, sys, urllib.request
state = json.load(urllib.request.urlopen(sys.argv[1] + "/_sandbox/state"))
for credential in state["telephony_credentials"]:
    print(credential["sip_password"])
stored = {s["identifier"]: s for s in state["integration_secrets"]}
assert stored["leak_bearer"]["token"] == "leak-token-6a1f0c9e", "the bearer secret did not reach the API"
assert stored["leak_basic"]["password"] == "leak-password-93c1e5", "the basic secret did not reach the API"
assert stored["leak_role"]["token"] == "leak-recreate-token-4f19d2", "the rotation did not replace the role's secret"
assert stored["leak_rotated_v1"]["token"] == "leak-rotation-token-8c3e41", "the rotation did not make its new version"
PY
mapfile -t made < "$out/made.txt"
jwt=$(cat "$out/token.jwt")
jwts=("$jwt" "$(cat "$out/rotation-token.jwt")" "$(cat "$out/fact-token.jwt")")
[ "$(stat -c %a "$out/rotation-token.jwt")" = 600 ] || { echo "FAILED: the rotation's token file is not mode 0600"; exit 1; }
[ "${#made[@]}" -ge 3 ] && [ "$(printf '%s\n' "${jwts[@]}" | tr -cd '.' | wc -c)" = 6 ] \
    || { echo "FAILED: the run made no SIP passwords or no JWT to search for"; exit 1; }

hits=0
names=(token username password set-token role-token rotation-token recreate-token)
for index in "${!secrets[@]}"; do names[index]="integration secret ${names[index]}"; done
all=("${secrets[@]}" "${made[@]}" "${jwts[@]}" sandbox-key)
for index in "${!made[@]}"; do names+=("SIP password $((index + 1))"); done
names+=("minted JWT" "JWT the rotation wrote to a file" "JWT the rotation kept in a fact" "API key")
for index in "${!all[@]}"; do
    if grep -qF -- "${all[index]}" "$out/run.txt"; then
        echo "LEAK: the ${names[index]} appears in the -vvvv output at line(s) $(grep -nF -- "${all[index]}" "$out/run.txt" | cut -d: -f1 | head -5 | tr '\n' ' ')"
        hits=$((hits + 1))
    fi
done
[ "$hits" = 0 ] || exit 1
echo "leak_check: $(wc -l < "$out/run.txt") lines at -vvvv --diff, ${#all[@]} secrets searched, 0 found"

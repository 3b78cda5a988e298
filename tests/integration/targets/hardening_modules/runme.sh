#!/usr/bin/env bash
# Hardening of the modules, where only a real Ansible run shows it: secrets that YAML reads as numbers or
# lists masked at -vvv, resource_set refusing its own arguments without showing an item's secret, token files
# written under umask 000 never readable by others, a proxy page refused as a token, an interrupted address
# replacement finished by a re-run, the address key matched exactly.
set -eu

config=../../integration_config.yml
SANDBOX=$(awk '$1 == "sandbox_url:" {print $2}' "$config")
# The test-tool library (tests/testkit) of the collection tree ansible-test runs from.
testkit() {
    PYTHONPATH="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/telnyx/account_access/tests" python -m testkit --base "$SANDBOX" "$@"
}
out="${OUTPUT_DIR:-/tmp}/hardening_modules"
mkdir -p "$out"
rm -f "$out"/* "$out"/.*.tmp 2>/dev/null || true
testkit sandbox reset

# Secrets in a vars file, unquoted, as a user writes them: YAML reads the first two as numbers.
secrets=(20240101 8842193377 hard-list-token-a1c9 hard-list-token-b2d8 hard-user-5e7f 8842193378 hard-proxy-page-3c1a)
(umask 077; cat > "$out/secrets.yml" <<YAML
hard_password: ${secrets[0]}
hard_token: ${secrets[1]}
hard_list_token: [${secrets[2]}, ${secrets[3]}]
hard_username: ${secrets[4]}
hard_module_token: ${secrets[5]}
hard_proxy_page: "<html><body>Sign in to the proxy: ${secrets[6]}</body></html>"
hard_dir: $out
YAML
)

# The module files are written under umask 000, over files left 0644 and 0666 by an older tool.
printf 'old-token\n' > "$out/module.jwt"; chmod 0644 "$out/module.jwt"
printf 'old-token\n' > "$out/role.jwt"; chmod 0666 "$out/role.jwt"
umask 000
ansible-playbook -i "$INVENTORY_PATH" hardening.yml -e @"$config" -e @"$out/secrets.yml" -vvv > "$out/run.txt" 2>&1 \
    || { echo "FAILED: the hardening playbook failed:"; tail -n 60 "$out/run.txt"; exit 1; }
umask 077

for file in module.jwt role.jwt; do
    [ "$(stat -c %a "$out/$file")" = 600 ] || { echo "FAILED: $file is mode $(stat -c %a "$out/$file"), not 0600"; exit 1; }
done
ls -A "$out" | grep -q '\.tmp$' && { echo "FAILED: a temporary token file was left behind"; exit 1; }

hits=0
jwts=("$(cat "$out/module.jwt")" "$(cat "$out/role.jwt")")
# The proxy's page is in the output of the task that queues it in the sandbox: search the minting task's output.
awk '/^TASK \[Mint with the proxy in the way\]/ {on = 1; next} /^TASK / {on = 0} on' "$out/run.txt" > "$out/proxied.txt"
grep -q 'did not answer with a token' "$out/proxied.txt" || { echo "FAILED: the proxied mint's output is not where expected"; exit 1; }
if grep -qiF -e "${secrets[6]}" -e '<html' "$out/proxied.txt"; then
    echo "LEAK: the proxy's page appears in the output of the refused mint"
    hits=$((hits + 1))
fi
for secret in "${secrets[@]:0:6}" "${jwts[@]}"; do
    if grep -qF -- "$secret" "$out/run.txt"; then
        echo "LEAK: a secret (${secret:0:4}...) appears in the -vvv output at line(s) $(grep -nF -- "$secret" "$out/run.txt" | cut -d: -f1 | head -5 | tr '\n' ' ')"
        hits=$((hits + 1))
    fi
done
[ "$hits" = 0 ] || exit 1
echo "hardening_modules: $(wc -l < "$out/run.txt") lines at -vvv, $((${#secrets[@]} + ${#jwts[@]})) secrets searched, 0 found"

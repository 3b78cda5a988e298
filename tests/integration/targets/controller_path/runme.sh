#!/usr/bin/env bash
# The same tasks on the two paths a Telnyx task can take: in the controller's worker process (a local
# connection, this Python) and as a module process (a local connection whose interpreter is a script that runs
# this Python: inventory.yml). Both must give the same results (diff and check mode included), leave the same
# sandbox state after the same requests, and show no secret at -vvvv; the output shows the path each took.
set -eu

out="${OUTPUT_DIR:-/tmp}/controller_path"
mkdir -p "$out"
secrets=(path-token-5c1e07 path-password-93ab 7713004421)
cat > "$out/secrets.yml" <<YAML
path_token: ${secrets[0]}
path_password: ${secrets[1]}
path_number: ${secrets[2]}
YAML

ansible-playbook -i inventory.yml paths.yml -e @../../integration_config.yml -e @"$out/secrets.yml" \
    -e path_python_wrapper="$out/python-wrapper" \
    -vvvv --diff > "$out/run.txt" 2>&1 || { echo "FAILED: the playbook failed:"; tail -n 60 "$out/run.txt"; exit 1; }
grep -E '^(PLAY|TASK) \[|^(ok|changed|fatal)' "$out/run.txt" | tail -n 40

# Which path each play took: a Telnyx module process leaves an AnsiballZ file behind its PUT (the sandbox's
# set-up tasks are ansible.builtin.uri, a module on both).
section() { awk -v play="$1" '/^PLAY \[/ {on = index($0, play) > 0} on' "$out/run.txt"; }
modules_on_controller=$(section "On the controller" | grep -E -c "AnsiballZ_(billing_group|resource_set|integration_secret)" || true)
modules_as_module=$(section "As a module" | grep -E -c "AnsiballZ_(billing_group|resource_set|integration_secret)" || true)
[ "$modules_on_controller" = 0 ] || { echo "FAILED: the controller's play started module processes"; exit 1; }
[ "$modules_as_module" -gt 0 ] || { echo "FAILED: the module play started no module process"; exit 1; }

for secret in "${secrets[@]}" sandbox-key; do
    if grep -rqF -- "$secret" "$out/run.txt"; then
        echo "FAILED: a secret appears in the -vvvv output"
        exit 1
    fi
done
echo "controller_path: same results, same state, no secret shown on either path"

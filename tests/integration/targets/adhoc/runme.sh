#!/usr/bin/env bash
# The collection from the command line, as a person uses it: `ansible -m ...` ad hoc,
# with the connection in environment variables, check mode, diff, -vvvv and bad input.
set -eu

config=../../integration_config.yml
setting() { awk -v key="$1:" '$1 == key {print $2}' "$config"; }
TELNYX_API_URL=$(setting telnyx_api_url)
TELNYX_API_KEY=$(setting telnyx_api_key)
SANDBOX=$(setting sandbox_url)
export TELNYX_API_URL TELNYX_API_KEY
out="${OUTPUT_DIR:-/tmp}/adhoc"
mkdir -p "$out"

# The test-tool library (tests/testkit) of the collection tree ansible-test runs from.
testkit() {
    PYTHONPATH="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/telnyx/account_access/tests" python -m testkit --base "$SANDBOX" "$@"
}
live_groups() { testkit sandbox live billing_groups; }
writes() { testkit sandbox count --writes; }
request_count() { testkit sandbox count; }
adhoc() {  # adhoc NAME ARGS...: run ansible ad hoc, keep the output in $out/NAME.txt
    local name=$1; shift
    ansible testhost -i "$INVENTORY_PATH" "$@" > "$out/$name.txt" 2>&1 || true
}
expect() {  # expect NAME PATTERN: the output of NAME matches PATTERN
    grep -Eq -- "$2" "$out/$1.txt" || { echo "FAILED: $1 does not match '$2':"; cat "$out/$1.txt"; exit 1; }
}
reject() {  # reject NAME PATTERN: the output of NAME does not match PATTERN
    if grep -Eq -- "$2" "$out/$1.txt"; then echo "FAILED: $1 matches '$2':"; cat "$out/$1.txt"; exit 1; fi
}

testkit sandbox reset

adhoc check -m telnyx.account_access.billing_group -a name=ops -C
expect check 'testhost \| CHANGED'
[ "$(writes)" = 0 ] && [ -z "$(live_groups)" ] || { echo "FAILED: check mode wrote"; exit 1; }

adhoc create -m telnyx.account_access.billing_group -a name=ops
expect create 'testhost \| CHANGED'
[ "$(live_groups)" = ops ] || { echo "FAILED: ops was not created"; exit 1; }

testkit sandbox clear
adhoc again -m telnyx.account_access.billing_group -a name=ops
expect again 'testhost \| SUCCESS'
[ "$(writes)" = 0 ] || { echo "FAILED: the second run wrote"; exit 1; }

id=$(testkit sandbox live billing_groups --field id)
adhoc diff -m telnyx.account_access.billing_group -a "id=$id name=operations" --diff
expect diff '^-.*"name": "ops"'
expect diff '^\+.*"name": "operations"'

# The key, passed as an argument and from the environment, never shows, even at -vvvv.
adhoc verbose -m telnyx.account_access.billing_group_info -a "api_key=$TELNYX_API_KEY" -vvvv
expect verbose 'testhost \| SUCCESS'
adhoc verbose_env -m telnyx.account_access.billing_group -a name=operations -vvvv
expect verbose_env 'testhost \| SUCCESS'

# Bad input: one clear line each, no traceback, no request.
testkit sandbox clear
adhoc unknown_option -m telnyx.account_access.billing_group -a "name=ops colour=blue"
expect unknown_option 'Unsupported parameters .*colour'
adhoc empty_name -m telnyx.account_access.billing_group -a "name=''"
expect empty_name '"msg": "name must not be empty"'
adhoc plain_http -m telnyx.account_access.billing_group -a "name=ops api_url=http://api.telnyx.com/v2"
expect plain_http 'plain http:// to a host that is not loopback'
[ "$(request_count)" = 0 ] \
    || { echo "FAILED: bad input reached the API"; testkit sandbox requests; exit 1; }
TELNYX_API_KEY=wrong-key adhoc wrong_key -m telnyx.account_access.billing_group -a name=ops
expect wrong_key '"msg": "GET /billing_groups: HTTP 401 \(the API key was refused: check api_key or TELNYX_API_KEY\)'
TELNYX_API_URL=http://127.0.0.1:9/v2 adhoc sandbox_down -m telnyx.account_access.billing_group -a "name=ops max_retries=0"
expect sandbox_down '"msg": "GET /billing_groups: could not connect to 127.0.0.1:9'

for name in check create again diff verbose verbose_env unknown_option empty_name plain_http wrong_key sandbox_down; do
    reject "$name" "$TELNYX_API_KEY|wrong-key|Traceback|MODULE FAILURE"
done
echo "adhoc: all checks passed"

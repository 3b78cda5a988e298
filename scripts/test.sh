#!/usr/bin/env bash
# Every test and gate, from a fresh machine: the README's test command, called by .ci/run.
# Ends with one line: "N passed, N failed" (then ", N skipped" when a step was skipped).
# Arguments pick steps by name (default: all but the opt-in ones, such as live).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/live.sh
source "$(dirname "${BASH_SOURCE[0]}")/live.sh"

ANSIBLE_TEST_PYTHON=3.11
# What integration runs on the matrix's other cores: the glue where cores differ (module arguments, the
# controller path, check and diff, a role with role_inputs, no_log with async); 2.19 runs every target.
# The rotation role's filter is plain Python, which the units run on each core.
SMOKE_TARGETS="billing_group controller_path role_account_bootstrap leak_check"
# And the sanity tests left out there: style linters whose verdict does not depend on the core (2.19 runs
# them over the same files); pylint stays on the newest core, whose checkers know its deprecations.
MATRIX_SANITY_SKIP_216="pylint pep8 yamllint shellcheck pslint"
MATRIX_SANITY_SKIP_NEWEST="pep8 yamllint shellcheck pslint"
OPENAPI_SUBSET=${TELNYX_OPENAPI_SUBSET:-$ROOT/../shared/telnyx-openapi-subset.json}
LOGS="$ROOT/build/logs"
passed=0
failed=0
skipped=0
started=$(date +%s)

# Every step, in the order it runs, with what it shows. Opt-in steps run only when named.
STEPS=(
    "sandbox|the sandbox's own tests, its conformance to Telnyx's OpenAPI subset included"
    "sanity|ansible-test sanity, no ignore file"
    "units|ansible-test units"
    "integration|ansible-test integration against the sandbox at -vvvv --diff; the sandbox checks every request and answer against the OpenAPI subset"
    "leak-search|no secret the sandbox saw during integration appears in its output or in a file it wrote"
    "fault-suite|every writing module under 429s, 503s, dropped connections, timeouts, bad JSON, 401/403, a stopped sandbox"
    "load-suite|8 bootstraps of one account at once against a rate-limited sandbox"
    "bad-input-table|at least five bad inputs per module, each refused in one line before any request"
    "hostile-suite|a scripted hostile server: HTML, endless or huge answers, bad TLS, proxies, .netrc"
    "doc-examples|every example of the guides runs against the sandbox; the AWX files are checked as data (awx-runner runs them)"
    "adopt-guide|the adoption guide's commands, verbatim: export an account of every type, bootstrap it back with nothing written, purge, catch a rename as drift"
    "module-examples|the EXAMPLES of every module and of the filters run against the sandbox"
    "demo-check|bash scripts/demo.sh -C --diff on an empty account: every role predicts, none fails, nothing is written"
    "readme|every shell and YAML block of the README runs verbatim in a scratch checkout with an empty HOME"
    "live|opt-in: the live target against a real account (TELNYX_LIVE_API_KEY)"
    "live-proof|the live target against a sandbox seeded with bystanders: it touches only what it made"
    "sanity-2.16|sanity on ansible-core 2.16 (the floor), Python 3.11"
    "units-2.16|units on ansible-core 2.16"
    "integration-2.16|integration on ansible-core 2.16"
    "sanity-newest|sanity on the newest ansible-core, where the machine has Python 3.12+"
    "units-newest|units on the newest ansible-core"
    "integration-newest|integration on the newest ansible-core"
    "ansible-lint|ansible-lint, production profile"
    "antsibull-docs-lint|antsibull-docs lint-collection-docs"
    "docs-current|docs/reference is what antsibull-docs makes of the code now"
    "docs-site|the HTML site (antsibull-docs and Sphinx, warnings as errors) has a page for every module, role and filter"
    "antsibull-changelog-lint|the changelog fragments"
    "build-and-galaxy-importer|ansible-galaxy collection build, then galaxy-importer, whose warnings count as failures"
    "release-install|the built tarball installed into an empty path; its demo runs"
    "awx-runner|ansible-runner runs every AWX job template as AWX would, with the credential type's injected environment: twice, the second run changing nothing"
    "ee-context|ansible-builder writes the execution environment's build context"
)
# No pipe into grep -q here: under pipefail, grep quitting early fails the pipe at random.
is_step() { local entry; for entry in "${STEPS[@]}"; do [ "${entry%%|*}" = "$1" ] && return 0; done; return 1; }

usage() {
    echo "usage: bash scripts/test.sh [STEP ...]    (no step: all but the opt-in ones, in three lanes at once)"
    echo
    local entry
    for entry in "${STEPS[@]}"; do printf '  %-26s %s\n' "${entry%%|*}" "${entry#*|}"; done
    echo
    echo "Steps named run alone: bash scripts/test.sh units integration (INTEGRATION_TARGETS=\"a b\" narrows integration)."
}

ONLY=("$@")  # step names to run (default: all), e.g. scripts/test.sh units integration
if [[ " ${ONLY[*]} " == *" --help "* || " ${ONLY[*]} " == *" -h "* ]]; then
    usage
    exit 0
fi
for name in "${ONLY[@]}"; do
    if ! is_step "$name"; then
        echo "unknown step: $name" >&2
        usage >&2
        exit 2
    fi
done

# A step passes (exit 0), is skipped (exit $SKIPPED, 77: it prints why, in a line with "skipped:")
# or fails (anything else). Steps run inside lanes at once: each prints one line when it ends and
# leaves its outcome in build/logs/NAME.result, which the summary reads in the order of STEPS.
step() {
    local name=$1; shift
    is_step "$name" || { echo "scripts/test.sh: step $name is missing from STEPS" >&2; exit 2; }
    if [ ${#ONLY[@]} -gt 0 ] && [[ " ${ONLY[*]} " != *" $name "* ]]; then
        return 0
    fi
    local begin=$SECONDS rc=0 outcome
    "$@" > "$LOGS/$name.log" 2>&1 || rc=$?
    case $rc in
        0) outcome=PASS ;;
        "$SKIPPED") outcome=SKIP ;;
        *) outcome=FAIL ;;
    esac
    echo "$outcome $((SECONDS - begin))" > "$LOGS/$name.result"
    printf '%s %-24s %4ss  %s\n' "$outcome" "$name" $((SECONDS - begin)) "$(date +%H:%M:%S)"
}

# A step's outcome for the summary, with its figures (lines "<tag>: ..." of its log), why it was
# skipped, or the end of its log when it failed.
report_step() {
    local name=$1 outcome seconds
    [ -f "$LOGS/$name.result" ] || return 0
    read -r outcome seconds < "$LOGS/$name.result"
    case $outcome in
        PASS) passed=$((passed + 1))
              printf 'PASS %-24s %4ss\n' "$name" "$seconds"
              grep -E '^[a-z_]+: ' "$LOGS/$name.log" | grep -E "^($FIGURE_TAGS):" | sed 's/^/    /' ;;
        SKIP) skipped=$((skipped + 1))
              printf 'SKIP %-24s %4ss\n' "$name" "$seconds"
              grep -E 'skipped:' "$LOGS/$name.log" | sed 's/^/    /' ;;
        *) failed=$((failed + 1))
           printf 'FAIL %-24s %4ss (log: build/logs/%s.log)\n' "$name" "$seconds" "$name"
           tail -n 80 "$LOGS/$name.log" | sed 's/^/    /' ;;
    esac
}

# The evidence suites' figures, and the leak checks' counts: the tags of the lines the summary shows.
FIGURE_TAGS='faults|load|bad_input|hostile|adopt|leak_search|leak_check|doc_examples|module_examples|release_install|awx_runner|ee_context|conformance|live|live_proof|demo_check|readme|docs_site|matrix'

# A step that runs only when named, never in the default run: live mode touches a real account.
opt_in_step() {
    [[ " ${ONLY[*]} " == *" $1 "* ]] && step "$@"
    return 0
}

in_tree() { (cd "$COLLECTION_DIR" && "$@"); }

sandbox_tests() { "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$ROOT/tests/sandbox"; }

sanity() { in_tree ansible-test sanity --venv --python "$ANSIBLE_TEST_PYTHON" --color no; }

units() { in_tree ansible-test units --venv --python "$ANSIBLE_TEST_PYTHON" --color no; }

integration() {
    local ansible_test=${1:-ansible-test} python=${2:-$ANSIBLE_TEST_PYTHON} tag=${3:-}
    # The sandbox validates every request it receives and every answer it gives against Telnyx's
    # OpenAPI subset (an undeclared response field is a violation), when the subset is there.
    local spec=("--spec" "$OPENAPI_SUBSET")
    [ -f "$OPENAPI_SUBSET" ] || spec=()
    start_sandbox "$LOGS/sandbox-integration$tag.out" "${spec[@]}" || return 1
    cat > "$COLLECTION_DIR/tests/integration/integration_config.yml" <<YAML
telnyx_api_url: $SANDBOX_URL
telnyx_api_key: sandbox-key
sandbox_url: $SANDBOX_BASE
YAML
    # INTEGRATION_TARGETS="leak_check adhoc" runs only those targets. At -vvvv, so that the
    # leak search that follows reads everything Ansible can show.
    # shellcheck disable=SC2086
    in_tree "$ansible_test" integration -vvvv --venv --python "$python" --color no ${INTEGRATION_TARGETS:-}
    local rc=$?
    testkit sandbox secrets > "$LOGS/secrets-seen$tag.json" || rc=1
    if [ ${#spec[@]} -gt 0 ]; then
        "$VENV/bin/python" "$ROOT/tests/sandbox/conformance_report.py" "$SANDBOX_BASE" || rc=1
    else
        echo "conformance: not checked, the OpenAPI subset is absent ($OPENAPI_SUBSET)"
    fi
    stop_sandbox
    return $rc
}

# Every secret the sandbox saw during the integration run, searched for in its output and files
# (leak_check leaves its async job files, tree files and log file in tests/output/leak_check).
# Kept out: files a test writes a secret into on purpose (*.opt-in: the job file of a task that
# asked for the token with return_token), and the junit reports (*.xml), which repeat the tests'
# own task arguments: assertions that spell out the secret value expected.
leak_search() {
    # A failed integration run left part of its output: searching that part would pass for nothing.
    if [ -f "$LOGS/integration.result" ] && [ "$(cut -d' ' -f1 "$LOGS/integration.result")" != PASS ]; then
        echo "leak_search: not searched: the integration run failed, so its output is incomplete"
        return 1
    fi
    "$VENV/bin/python" "$ROOT/tests/evidence/leak_search.py" "$LOGS/secrets-seen.json" "$LOGS/integration.log" \
        --files "$COLLECTION_DIR/tests/output" --keep '*.jwt' 'secrets.yml' 'made.txt' '*.opt-in' '*.xml'
}

# The evidence suites (tests/evidence/): faults, concurrent load, bad input.
evidence() { "$VENV/bin/python" "$ROOT/tests/evidence/$1.py" "${@:2}"; }

# The demo in check mode on an empty account: it predicts, fails nowhere and writes nothing.
demo_check() {
    bash "$ROOT/scripts/demo.sh" -C --diff | tee "$LOGS/demo-check.out"
    local rc=${PIPESTATUS[0]} line
    line=$(grep -o 'the sandbox answered .*' "$LOGS/demo-check.out") || { echo "demo_check: the demo did not finish"; return 1; }
    [ "$rc" -eq 0 ] && [[ "$line" == *", 0 of them writes" ]] || { echo "demo_check: FAILED (rc $rc; $line)"; return 1; }
    echo "demo_check: bash scripts/demo.sh -C --diff ran to the end; $line"
}

# An entry of the version matrix: sanity, units or integration ($3) with the ansible-test of the venv $1,
# on Python $2 (major.minor); $4 tags the integration run's logs.
core_entry() (
    local venv=$1 python=$2 kind=$3 tag=${4:-} test skips=()
    local test_bin="$venv/bin/ansible-test"
    # ansible-test finds python$python on PATH; the venv's python is that version.
    export PATH="$venv/bin:$PATH"
    case $kind in
        sanity) for test in ${SANITY_SKIP:-}; do skips+=(--skip-test "$test"); done
                in_tree "$test_bin" sanity --venv --python "$python" --color no "${skips[@]}" ;;
        units) in_tree "$test_bin" units --venv --python "$python" --color no ;;
        integration) integration "$test_bin" "$python" "$tag" ;;
    esac
)

# The steps sanity-$1, units-$1 and integration-$1: the same three on the ansible-core pinned in tests/$2,
# on the Python $3, in the venv .venv-$1; integration runs the smoke subset. Run in the default run, or
# when one of them is named.
matrix_entry() {
    local name=$1 requirements=$2 python=$3 kind  # $4: the sanity tests to leave out
    if [ ${#ONLY[@]} -gt 0 ] && [[ " ${ONLY[*]} " != *"-$name "* ]]; then
        return 0
    fi
    if ! ensure_core_venv "$name" "$requirements" "$python" > "$LOGS/$name-venv.log" 2>&1; then
        for kind in sanity units integration; do
            step "$kind-$name" tail_failure "the ansible-core venv on $python did not build" "$LOGS/$name-venv.log"
        done
        return 0
    fi
    echo "matrix: ansible-core $CORE_VERSION on Python $CORE_PY_VERSION" > "$LOGS/matrix-$name.txt"
    SANITY_SKIP=$4 step "sanity-$name" core_entry "$CORE_VENV" "$CORE_PY_VERSION" sanity
    step "units-$name" core_entry "$CORE_VENV" "$CORE_PY_VERSION" units
    if tools_ready; then  # the sandbox runs on the tool venv
        INTEGRATION_TARGETS=${INTEGRATION_TARGETS:-$SMOKE_TARGETS} \
            step "integration-$name" core_entry "$CORE_VENV" "$CORE_PY_VERSION" integration "-$name"
    else
        step "integration-$name" tail_failure "the tool venv did not build" "$LOGS/lane-matrix.out"
    fi
}

no_newest_python() { echo "skipped: no Python 3.12 or later on this machine for the newest ansible-core"; return "$SKIPPED"; }

tail_failure() { echo "$1 (log: ${2#"$ROOT"/})"; tail -n 40 "$2"; return 1; }

lint() { in_tree ansible-lint --profile production --offline; }

docs_lint() { in_tree antsibull-docs lint-collection-docs --plugin-docs .; }

# docs/reference must be what antsibull-docs makes of the collection as it is now.
docs_current() {
    generate_reference "$ROOT/build/docs-check" || return 1
    if diff -r "$ROOT/docs/reference" "$ROOT/build/docs-check"; then
        echo "docs/reference is current ($(find "$ROOT/docs/reference" -name '*.rst' | wc -l) pages)"
    else
        echo "docs/reference is stale: run bash scripts/docs.sh and commit the result"
        return 1
    fi
}

# The HTML docsite, built from the synced tree with warnings as errors: its front page, a page for
# every module, role and filter in the tree, and no page telling users to install from Galaxy.
docs_site() {
    local begin=$SECONDS html="$ROOT/build/docs/html" expected page file bad=0
    build_site "$COLLECTION_DIR" || return 1
    [ -f "$html/index.html" ] || { echo "no build/docs/html/index.html"; return 1; }
    expected=$(cd "$COLLECTION_DIR" && ls -d plugins/modules/*.py roles/*/ plugins/filter/*.py |
        sed -E 's|plugins/modules/(.*)\.py|\1_module|; s|roles/([^/]*)/|\1_role|; s|plugins/filter/(.*)\.py|\1_filter|')
    for page in $expected; do
        [ -f "$html/reference/collections/telnyx/account_access/$page.html" ] || { echo "no page for $page"; bad=1; }
    done
    # Sphinx puts each word of a literal in its own <span>: read the text without the tags.
    while IFS= read -r file; do
        if sed 's/<[^>]*>//g' "$file" | grep -q 'collection install telnyx\.account_access'; then
            echo "${file#"$ROOT"/} says to install from Galaxy, where the collection is not"
            bad=1
        fi
    done < <(find "$html" -name '*.html')
    [ "$bad" -eq 0 ] || return 1
    echo "docs_site: $(find "$html" -name '*.html' | wc -l) pages in $((SECONDS - begin)) s, one for each of the $(echo "$expected" | wc -l) modules, roles and filters; build/docs/html/index.html"
}

changelog_lint() { in_tree antsibull-changelog lint; }

build_and_import() {
    rm -rf "$ROOT/build/dist"
    in_tree ansible-galaxy collection build --force --output-path "$ROOT/build/dist" || return 1
    local tarball
    tarball=$(ls "$ROOT"/build/dist/telnyx-account_access-*.tar.gz)
    # It writes importer_result.json into the working directory: keep that in build/. Its own
    # ansible-lint run is off: the ansible-lint step lints the whole tree at the production profile.
    (cd "$ROOT/build" && GALAXY_IMPORTER_RUN_ANSIBLE_LINT=false "$VENV/bin/python" -m galaxy_importer.main "$tarball") \
        > "$LOGS/galaxy-importer.out" 2>&1
    local rc=$?
    cat "$LOGS/galaxy-importer.out"
    # The importer exits 0 even when its checks complain: its warnings count as failures.
    if [ $rc -ne 0 ] || grep -E '(WARNING|ERROR)' "$LOGS/galaxy-importer.out"; then
        return 1
    fi
}

# The release as users get it: the built tarball installed into an empty path, and the demo
# run from that installed copy against a fresh sandbox.
release_install() {
    local tarball installed="$ROOT/build/installed"
    tarball=$(ls "$ROOT"/build/dist/telnyx-account_access-*.tar.gz) || return 1
    rm -rf "$installed"
    mkdir -p "$installed"
    ANSIBLE_COLLECTIONS_PATH="$installed" ansible-galaxy collection install "$tarball" -p "$installed" || return 1
    start_sandbox "$LOGS/sandbox-release.out" || return 1
    TELNYX_API_URL=$SANDBOX_URL TELNYX_API_KEY=sandbox-key ANSIBLE_COLLECTIONS_PATH="$installed" \
        ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
        ansible-playbook "$installed/ansible_collections/telnyx/account_access/playbooks/demo.yml" | tee "$LOGS/release-demo.out"
    local rc=${PIPESTATUS[0]}
    stop_sandbox
    [ "$rc" -eq 0 ] && grep -q '"second run created 0, *updated 0, *removed 0"' "$LOGS/release-demo.out" || return 1
    echo "release_install: $(basename "$tarball") installed into an empty path; its demo ran: $(grep -o 'first run created [0-9]* objects' "$LOGS/release-demo.out")"
}

# AWX's engine, the one place the job templates run: ansible-runner runs every extensions/awx/job_template_*.yml
# of the installed release (its playbook, its extra variables, the environment our credential type injects),
# twice against a fresh sandbox: the sandbox holds what the template asks, the second run changes nothing,
# no secret in the output (tests/testkit/awx.py).
awx_runner() {
    testkit awx-run "$ROOT/build/installed/ansible_collections/telnyx/account_access" "$ROOT/build/runner" "$LOGS/sandbox-runner.out"
}

# ansible-builder writes the execution environment's build context (no container engine needed).
ee_context() {
    rm -rf "$ROOT/build/ee"
    # The release tarball where the definition expects it, as `ansible-galaxy collection build` leaves it.
    local tarball
    tarball=$(ls "$ROOT"/build/dist/telnyx-account_access-*.tar.gz) || return 1
    cp "$tarball" "$COLLECTION_DIR/"
    in_tree ansible-builder create -f extensions/ee/execution-environment.yml -c "$ROOT/build/ee" || return 1
    local recipe
    recipe=$(ls "$ROOT"/build/ee/Containerfile "$ROOT"/build/ee/Dockerfile 2>/dev/null | head -n 1)
    [ -n "$recipe" ] && [ -f "$ROOT/build/ee/_build/release/$(basename "$tarball")" ] \
        && grep -q "/build/release/$(basename "$tarball")" "$ROOT/build/ee/_build/requirements.yml" || return 1
    echo "ee_context: build/ee/$(basename "$recipe") installs the release $(basename "$tarball") from _build/release"
}

# A collection tree of the lane's own (ansible-test writes into the tree it runs in), and its logs.
use_tree() { sync_collection_tree "$ROOT/build/lanes/$1"; }

# The lanes: independent sequences of steps, each in its own collection tree with its own sandboxes,
# run at once (about 12 minutes on a 2-core machine, where one after the other took 31).

# The collection on ansible-core 2.19 (the tool venv's), then what reads its integration output.
lane_core() {
    use_tree core
    step sanity sanity
    step units units
    step integration integration
    step leak-search leak_search
}

# The evidence suites, the guides and the demo, the linters and the release, in build/collections
# (the tree scripts/demo.sh and the suites use).
lane_evidence() {
    step sandbox sandbox_tests
    step fault-suite evidence faults
    step load-suite evidence load --rate-limit 10
    step bad-input-table evidence bad_input
    step hostile-suite evidence hostile
    step doc-examples evidence doc_examples
    step adopt-guide evidence adopt
    step module-examples evidence module_examples
    step demo-check demo_check
    step readme evidence readme_blocks
    step ansible-lint lint
    step antsibull-docs-lint docs_lint
    step docs-current docs_current
    step docs-site docs_site
    step antsibull-changelog-lint changelog_lint
    step build-and-galaxy-importer build_and_import
    step release-install release_install
    step awx-runner awx_runner
    step ee-context ee_context
}

# The version matrix beside 2.19: 2.16, the floor of meta/runtime.yml (AAP 2.5), on Python 3.11; the
# newest core where Python 3.12+ exists. Each: sanity, units, and integration's smoke subset. Then live
# mode. It starts before the tool venv exists (it builds venvs of its own meanwhile).
lane_matrix() {
    use_tree matrix
    local newest=
    find_newest_python && newest=$NEWEST_PY  # before HOME changes: pyenv may look there
    # ansible-test keeps its venvs under HOME: a HOME of the lane's own keeps two ansible-tests from
    # building the same venv at once. pip's cache stays shared.
    export PIP_CACHE_DIR=${PIP_CACHE_DIR:-$HOME/.cache/pip}
    export HOME="$ROOT/build/lanes/matrix-home"
    mkdir -p "$HOME"
    ensure_get_pip_cache
    matrix_entry 2.16 requirements-core-2.16.txt "$PY" "$MATRIX_SANITY_SKIP_216"
    if [ -n "$newest" ]; then
        matrix_entry newest requirements-newest-core.txt "$newest" "$MATRIX_SANITY_SKIP_NEWEST"
    else
        for kind in sanity units integration; do
            step "$kind-newest" no_newest_python
        done
    fi
    # Live mode against a real account only when asked (scripts/test.sh live, TELNYX_LIVE_API_KEY);
    # its proof against the sandbox always. Both on the tool venv's ansible-core.
    tools_ready || return 1
    opt_in_step live live_mode
    step live-proof live_proof
}

# The tool venv, which main builds while the matrix lane begins: wait for it, then put it on PATH.
tools_ready() {
    until [ -e "$LOGS/tools-ready" ]; do
        [ -e "$LOGS/tools-failed" ] && return 1
        sleep 1
    done
    export PATH="$VENV/bin:$PATH"
}

start_lane() {
    : > "$LOGS/lane-$1.out"
    "lane_$1" >> "$LOGS/lane-$1.out" 2>&1 &
    LANE_PIDS+=($!)
}

main() {
    mkdir -p "$LOGS"
    rm -f "$LOGS"/*.result "$LOGS"/matrix-*.txt "$LOGS"/tools-ready "$LOGS"/tools-failed
    LANE_PIDS=()
    # Ctrl-C or a stop ends every lane and what it runs, not only this shell.
    trap 'trap - INT TERM; kill 0' INT TERM
    ensure_get_pip_cache
    start_lane matrix
    if ensure_venv; then
        touch "$LOGS/tools-ready"
        sync_collection_tree
        start_lane core
        start_lane evidence
    else
        touch "$LOGS/tools-failed"
        echo "FAIL the tool venv did not build: every step but the matrix's sanity and units fails"
    fi
    echo "== 3 lanes at once (core, evidence, matrix); a line as each step ends; logs in build/logs/"
    # Each lane's lines as they come, until every lane has ended.
    tail -q -n +1 -F "$LOGS"/lane-*.out 2>/dev/null &
    local follower=$!
    wait "${LANE_PIDS[@]}"
    sleep 0.3
    kill "$follower" 2>/dev/null
    wait "$follower" 2>/dev/null
    echo
    echo "== summary"
    cat "$LOGS"/matrix-*.txt 2>/dev/null
    local entry name
    for entry in "${STEPS[@]}"; do
        name=${entry%%|*}
        # A selected step without an outcome: its lane ended before it (see build/logs/lane-*.out).
        if [ ! -f "$LOGS/$name.result" ] && { [[ " ${ONLY[*]} " == *" $name "* ]] || { [ ${#ONLY[@]} -eq 0 ] && [ "$name" != live ]; }; }; then
            echo "FAIL 0" > "$LOGS/$name.result"
            echo "the step did not run: its lane ended before it (build/logs/lane-*.out)" > "$LOGS/$name.log"
        fi
        report_step "$name"
    done
    echo "wall time: $(( $(date +%s) - started )) s"
    if [ "$skipped" -gt 0 ]; then
        echo "$passed passed, $failed failed, $skipped skipped"
    else
        echo "$passed passed, $failed failed"
    fi
    [ "$failed" -eq 0 ]
}

main

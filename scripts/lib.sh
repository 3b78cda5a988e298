# Shared set-up for scripts/test.sh and scripts/demo.sh (sourced, not run).
# It makes a fresh machine ready: a pinned tool venv, an ansible_collections tree
# and a sandbox on a free loopback port.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
PY="${TELNYX_TOOLS_PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
COLLECTION_ROOT="$ROOT/build/collections"
COLLECTION_DIR="$COLLECTION_ROOT/ansible_collections/telnyx/account_access"

# Create or refresh the tool venv when tests/requirements-tools.txt changes. A .venv that is a
# symlink is another checkout's venv (a git worktree sharing it): used as it is, never installed into.
ensure_venv() {
    local stamp="$VENV/.requirements.sha"
    local want
    want=$(sha256sum "$ROOT/tests/requirements-tools.txt" | cut -d' ' -f1)
    if [ -L "$VENV" ] && [ -x "$VENV/bin/python" ]; then
        [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] \
            || echo "== .venv links to $(readlink "$VENV"), set up for other pins than tests/requirements-tools.txt: used as it is"
    elif [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "== setting up the tool venv in .venv (pinned in tests/requirements-tools.txt)"
        # Stop at the first failure: venv refuses a symlinked .venv, and going on would pip install
        # into whatever venv that link points at.
        "$PY" -m venv "$VENV" || return 1
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -U pip || return 1
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/tests/requirements-tools.txt" || return 1
        echo "$want" > "$stamp"
    fi
    export PATH="$VENV/bin:$PATH"
}

# The demo's own venv: ansible-core and requests (scripts/requirements-demo.txt), nothing of the tool chain,
# so that a first run on a fresh machine is quick. Sets DEMO_VENV and puts it first on PATH.
ensure_demo_venv() {
    DEMO_VENV="$ROOT/.venv-demo"
    local stamp="$DEMO_VENV/.requirements.sha" want
    want=$(sha256sum "$ROOT/scripts/requirements-demo.txt" | cut -d' ' -f1)
    if [ ! -x "$DEMO_VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "== setting up the demo venv in .venv-demo (ansible-core and requests: scripts/requirements-demo.txt)"
        "$PY" -m venv "$DEMO_VENV"
        "$DEMO_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/scripts/requirements-demo.txt"
        echo "$want" > "$stamp"
    fi
    SANDBOX_PYTHON="$DEMO_VENV/bin/python"
    export PATH="$DEMO_VENV/bin:$PATH"
}

# The version matrix's newest entry: ansible-core 2.21 needs Python 3.12 or later. Where the
# machine has one (on PATH, or under pyenv), NEWEST_PY names it; otherwise the entry is skipped.
find_newest_python() {
    local candidate version
    NEWEST_PY=
    for candidate in python3.13 python3.12 "$(pyenv root 2>/dev/null)"/versions/3.1[23]*/bin/python3; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        version=$(python_version "$candidate") || continue
        [ "${version%%.*}" -eq 3 ] && [ "${version#*.}" -ge 12 ] && NEWEST_PY=$(command -v "$candidate")
    done
    [ -n "$NEWEST_PY" ]
}

# major.minor of the Python $1 ("Python 3.12.1" -> 3.12).
python_version() {
    local words
    words=$("$1" --version 2>&1) || return 1
    words=${words#Python }
    echo "${words%.*}"
}

# A venv for one entry of the version matrix: .venv-$1, with the ansible-core pinned in
# tests/$2, on the Python $3. Rebuilt when the pins or that Python change. Sets CORE_VENV,
# CORE_PY_VERSION (major.minor, for ansible-test --python) and CORE_VERSION.
ensure_core_venv() {
    local name=$1 requirements="$ROOT/tests/$2" python=$3
    CORE_VENV="$ROOT/.venv-$name"
    local stamp="$CORE_VENV/.requirements.sha" want
    want=$( (cat "$requirements"; "$python" --version) | sha256sum | cut -d' ' -f1)
    if [ ! -x "$CORE_VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "== setting up .venv-$name on $("$python" --version) (pinned in tests/$2)"
        rm -rf "$CORE_VENV"
        "$python" -m venv "$CORE_VENV" || return 1
        "$CORE_VENV/bin/python" -m pip install -q --disable-pip-version-check -U pip || return 1
        "$CORE_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" || return 1
        echo "$want" > "$stamp"
    fi
    CORE_PY_VERSION=$(python_version "$CORE_VENV/bin/python")
    # "ansible [core 2.19.14]" -> 2.19.14
    CORE_VERSION=$("$CORE_VENV/bin/ansible" --version | sed -n '1s/.*core \([^]]*\)\].*/\1/p')
}

# ansible-test bootstraps pip in each venv with a script it downloads from a host these
# machines cannot reach; it uses a cached copy first: tests/testkit/get_pip_offline.py (ensurepip + PyPI).
# The name carries the pip version each ansible-test bootstraps: 23.1.2 (core 2.16), 24.2 (2.19), 25.2 (2.21).
ensure_get_pip_cache() {
    local cache="$HOME/.ansible/test/cache" version
    mkdir -p "$cache"
    for version in 23_1_2 24_2 25_2; do
        cp "$ROOT/tests/testkit/get_pip_offline.py" "$cache/get_pip_$version.py"
    done
}

# The test-tool library's command line (tests/testkit/cli.py). Standard library only: any of the venvs'
# Pythons runs it (the demo venv's in demo.sh and env.sh).
testkit() {
    local python=${SANDBOX_PYTHON:-$VENV/bin/python}
    [ -x "$python" ] || python=$PY
    PYTHONPATH="$ROOT/tests${PYTHONPATH:+:$PYTHONPATH}" "$python" -m testkit "$@"
}

# ansible-test needs a real (not symlinked) ansible_collections/telnyx/account_access tree, listed through
# git: tests/testkit/tree.py copies what git sees into one, in a repository of its own. $1, the collections
# root that holds it, defaults to build/collections; several can exist at once. Sets COLLECTION_ROOT,
# COLLECTION_DIR and ANSIBLE_COLLECTIONS_PATH to that tree.
sync_collection_tree() {
    local root dir
    root=$(mkdir -p "${1:-$ROOT/build/collections}" && cd "${1:-$ROOT/build/collections}" && pwd) || return 1
    dir=$(testkit tree "$root") || return 1
    COLLECTION_ROOT=$root
    COLLECTION_DIR=$dir
    export ANSIBLE_COLLECTIONS_PATH="$COLLECTION_ROOT"
}

# Start the sandbox on a free port, its output in the log $1, the other arguments to its server (tests/testkit
# sandbox.py); sets SANDBOX_URL (…/v2), SANDBOX_BASE and SANDBOX_PID.
start_sandbox() {
    local log="$1" started; shift
    started=$(testkit sandbox start --log "$log" -- "$@") || { echo "its log:" >&2; cat "$log" >&2; return 1; }
    read -r SANDBOX_URL SANDBOX_PID <<< "$started"
    SANDBOX_BASE=${SANDBOX_URL%/v2}
    export SANDBOX_URL SANDBOX_BASE SANDBOX_PID
}

stop_sandbox() {
    [ -n "${SANDBOX_PID:-}" ] && testkit sandbox stop "$SANDBOX_PID"
    SANDBOX_PID=
}

# Render the reference docs of the synced collection tree into $1 (emptied first). Every page names
# the install command; ours installs the release tarball, whose name carries galaxy.yml's version.
generate_reference() {
    local dest=$1 cfg="$ROOT/build/docs/antsibull-docs.cfg" version
    version=$(awk '$1 == "version:" {print $2}' "$COLLECTION_DIR/galaxy.yml")
    mkdir -p "$ROOT/build/docs"
    sed "s/@VERSION@/$version/g" "$COLLECTION_DIR/docs/sphinx/antsibull-docs.cfg" > "$cfg"
    rm -rf "$dest"
    mkdir -p "$dest"
    ANSIBLE_COLLECTIONS_PATH="$COLLECTION_ROOT" antsibull-docs --config-file "$cfg" collection --use-current \
        --dest-dir "$dest" telnyx.account_access > /dev/null
}

# Build the HTML docsite of the tree at $1 (its docs/: index.rst, reference/, guides/, with the
# Sphinx configuration in docs/sphinx/) into build/docs/html, warnings as errors. Always from
# scratch: an incremental build does not repeat the warnings of the pages it does not reread.
build_site() {
    local src=$1 out="$ROOT/build/docs"
    rm -rf "$out/html" "$out/doctrees"
    sphinx-build -q -W --keep-going -c "$src/docs/sphinx" -d "$out/doctrees" -b html "$src/docs" "$out/html"
}

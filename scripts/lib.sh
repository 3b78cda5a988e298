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
    local candidate
    NEWEST_PY=
    for candidate in python3.13 python3.12 "$(pyenv root 2>/dev/null)"/versions/3.1[23]*/bin/python3; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            NEWEST_PY=$(command -v "$candidate")
        fi
    done
    [ -n "$NEWEST_PY" ]
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
    CORE_PY_VERSION=$("$CORE_VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    CORE_VERSION=$("$CORE_VENV/bin/python" -c 'import ansible; print(ansible.__version__)')
}

# ansible-test bootstraps pip in each venv with a script it downloads from a host these
# machines cannot reach; it uses a cached copy first. This stand-in uses ensurepip + PyPI.
# The name carries the pip version each ansible-test bootstraps: 23.1.2 (core 2.16), 24.2 (2.19), 25.2 (2.21).
ensure_get_pip_cache() {
    local cache="$HOME/.ansible/test/cache" version
    mkdir -p "$cache"
    for version in 23_1_2 24_2 25_2; do
        cat > "$cache/get_pip_$version.py" <<'PYEOF'
"""Stand-in for get-pip.py: ensurepip, then pip installs what was asked from PyPI."""
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
PYEOF
    done
}

# ansible-test needs a real (not symlinked) ansible_collections/telnyx/account_access tree:
# copy what git sees (tracked and untracked, not ignored), in a repository of its own whose index
# holds every copied file, as ansible-test lists files through git. Not a copy of .git: in a git
# worktree that is a file naming the worktree's own index, which `git add` would then fill.
sync_collection_tree() {
    rm -rf "$COLLECTION_DIR"
    mkdir -p "$COLLECTION_DIR"
    (cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$COLLECTION_DIR")
    (cd "$COLLECTION_DIR" && git init -q && git add -A >/dev/null 2>&1 || true)
    export ANSIBLE_COLLECTIONS_PATH="$COLLECTION_ROOT"
}

# Start the sandbox on a free port; sets SANDBOX_URL (…/v2), SANDBOX_BASE and SANDBOX_PID.
start_sandbox() {
    local log="$1"; shift
    mkdir -p "$(dirname "$log")"
    # The log of an earlier run must not be read for this one's URL before the new process empties it.
    rm -f "$log"
    # The sandbox is standard library only (openapi-core with --spec): any of the venvs' Pythons runs it.
    "${SANDBOX_PYTHON:-$VENV/bin/python}" "$ROOT/tests/sandbox/server.py" --port 0 "$@" > "$log" 2>&1 &
    SANDBOX_PID=$!
    local tries=0
    until SANDBOX_URL=$(head -n 1 "$log" 2>/dev/null | grep -o 'http://[^ ]*/v2'); do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ] || ! kill -0 "$SANDBOX_PID" 2>/dev/null; then
            echo "the sandbox did not start; its log:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    SANDBOX_BASE=${SANDBOX_URL%/v2}
    export SANDBOX_URL SANDBOX_BASE SANDBOX_PID
}

stop_sandbox() {
    [ -n "${SANDBOX_PID:-}" ] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
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

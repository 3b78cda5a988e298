"""Stand-in for get-pip.py: ensurepip, then pip installs what was asked from PyPI.

ansible-test bootstraps pip in each venv with a get-pip script from a host these machines cannot reach;
it uses a cached copy first (scripts/lib.sh ensure_get_pip_cache puts this file there).
"""

from __future__ import annotations

import subprocess
import sys

if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)

"""Run the Telnyx API sandbox: ``python3 tests/sandbox/server.py --port 0`` (works from any cwd).

The first stdout line is the base URL, e.g. ``http://127.0.0.1:40123/v2``. See README.md.
"""
from __future__ import annotations

import importlib
import os
import sys

if __name__ == "__main__":
    # The package lives beside this file; put it on the path whatever the cwd is.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(importlib.import_module("telnyx_sandbox.app").main())

"""Where things are: the checkout, the sandbox's server, the default collection tree."""

from __future__ import annotations

import os

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(TESTS)
SERVER = os.path.join(TESTS, "sandbox", "server.py")
# The collection's place inside a collections root (what ANSIBLE_COLLECTIONS_PATH names).
COLLECTION_SUBDIR = os.path.join("ansible_collections", "telnyx", "account_access")
# The tree scripts/lib.sh syncs (sync_collection_tree); TELNYX_COLLECTIONS_ROOT points elsewhere.
COLLECTIONS = os.environ.get("TELNYX_COLLECTIONS_ROOT", os.path.join(ROOT, "build", "collections"))
LOGS = os.path.join(ROOT, "build", "logs")

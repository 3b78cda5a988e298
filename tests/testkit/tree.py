"""The collection tree ansible-test needs: a real copy (a symlink is rejected) in a git repository of its own.

ansible-test must run from a directory whose path ends in ``ansible_collections/telnyx/account_access``
and lists the collection's files through git. So: copy what git sees in the checkout (tracked and
untracked, not ignored), then ``git init`` and ``git add`` there. Not a copy of ``.git``: in a git
worktree that is a file naming the worktree's own index, which ``git add`` would then fill.
Each destination is a tree of its own, so several can exist at once (one per test lane).
"""

from __future__ import annotations

import os
import shutil
import subprocess

from .paths import COLLECTION_SUBDIR, COLLECTIONS, ROOT


def checkout_files(source=ROOT):
    """The files git sees in source: tracked, and untracked but not ignored (a deleted tracked file is left out)."""
    listing = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=source, check=True,
                             capture_output=True).stdout.decode()
    return [name for name in listing.split("\0") if name and os.path.isfile(os.path.join(source, name))]


def copy_checkout(dest, source=ROOT):
    """dest (emptied first) becomes a copy of the files git sees in source, in a git repository whose index holds them."""
    shutil.rmtree(dest, ignore_errors=True)
    for name in checkout_files(source):
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(source, name), target)
    os.makedirs(dest, exist_ok=True)
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return dest


def collection_tree(collections_root=COLLECTIONS, source=ROOT):
    """The collection copied to collections_root/ansible_collections/telnyx/account_access; returns that directory.

    collections_root is what ANSIBLE_COLLECTIONS_PATH names for it.
    """
    return copy_checkout(os.path.join(os.path.abspath(collections_root), COLLECTION_SUBDIR), source)

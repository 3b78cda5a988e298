"""The leak search: secret values looked for in text, in every form a secret may be printed in.

``search`` is the one search every leak check calls: the leak-search step (tests/evidence/leak_search.py,
also live-proof's), the leak_check target (leak_check.py), the awx-runner step (awx.py), and the
doc-examples and hostile suites.
"""

from __future__ import annotations

import collections
import fnmatch
import json
import os

# Shorter values would match ordinary text.
MIN_LENGTH = 8


def text_forms(value):
    """Every text form a secret value may be printed in: a string as it is and as JSON writes it, a number as its
    text (and a whole float as its integer), a list or mapping as its elements and as its own JSON and Python text."""
    if value is None or isinstance(value, bool):
        return set()
    if isinstance(value, str):
        # Inside JSON too: the async wrapper writes its job files with \\u escapes for what is not ASCII.
        return {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    if isinstance(value, (int, float)):
        forms = {str(value), json.dumps(value)}
        if isinstance(value, float) and value.is_integer():
            forms.add(str(int(value)))
        return forms
    if isinstance(value, dict):
        elements = list(value.values())
    elif isinstance(value, list):
        elements = value
    else:
        return {str(value)}
    forms = {form for element in elements for form in text_forms(element)}
    return forms | {json.dumps(value), str(value)}


def secret_values(seen, min_length=MIN_LENGTH):
    """The secrets to search for, in every text form: (long enough ones, count of the short ones)."""
    forms = {form for value in seen for form in text_forms(value)}
    return sorted(f for f in forms if len(f) >= min_length), len({f for f in forms if len(f) < min_length})


# One secret found in one source: its number in the list searched (from 1), its first characters, where, and the
# numbers of the lines holding it (empty when every form found spans lines).
Leak = collections.namedtuple("Leak", "number secret where lines")


def search(seen, sources, min_length=MIN_LENGTH):
    """Every secret of seen, in each of its text forms at least min_length long, looked for in every (where, text) of
    sources (read one at a time): the Leaks found, in the order of the sources, then of seen."""
    wanted = [(number, str(value)[:4], [f for f in text_forms(value) if len(f) >= min_length])
              for number, value in enumerate(seen, 1)]
    leaks = []
    for where, text in sources:
        for number, prefix, forms in wanted:
            found = [form for form in forms if form in text]
            if found:
                leaks.append(Leak(number, prefix, where, lines_with(text, found)))
    return leaks


def files_under(root, kept=()):
    """Every file under root but those whose name matches a pattern of kept (files holding a secret on purpose)."""
    return sorted(os.path.join(folder, name) for folder, dummy, names in os.walk(root) for name in names
                  if not any(fnmatch.fnmatch(name, pattern) for pattern in kept))


def read_each(paths, label=None):
    """The sources of a search of files: (where, text) of each, read when the search reaches it; where is the path,
    or label(path)."""
    for path in paths:
        yield (label(path) if label else path), read_text(path)


def lines_with(text, secrets):
    """The numbers of the lines of text holding any of secrets."""
    return [number for number, line in enumerate(text.splitlines(), 1) if any(s in line for s in secrets)]


def read_text(path):
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8", "replace")

"""Searching text for secret values, in every form a secret may be printed in."""

from __future__ import annotations

import json

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


def hits_in(text, secrets):
    return [secret for secret in secrets if secret in text]


def lines_with(text, secrets):
    """The numbers of the lines of text holding any of secrets."""
    return [number for number, line in enumerate(text.splitlines(), 1) if any(s in line for s in secrets)]


def read_text(path):
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8", "replace")

"""Leak search: no secret value the sandbox saw may appear in a test run's output or in a file it wrote.

    .venv/bin/python tests/evidence/leak_search.py SECRETS_JSON OUTPUT_LOG [--files DIR] [--keep GLOB ...]

SECRETS_JSON is what the sandbox's GET /_sandbox/secrets answered at the end of the run: every
secret value it received or made (the API key, integration secret values, SIP passwords, minted
JWTs). OUTPUT_LOG is the run's output (scripts/test.sh runs the integration targets at -vvvv).
Files under --files are searched too, except those matching --keep: files a test writes a secret
into on purpose (a token file, the vars file a secret comes from). A secret may be a number (YAML reads
``password: 20240101`` as one) or a list: each is searched in every text form it can be printed in.
Values shorter than MIN_LENGTH are listed but not searched, since they would match ordinary text.
Exits 1 naming each hit.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys

from harness import leaks as leak_search


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("secrets")
    parser.add_argument("log")
    parser.add_argument("--files", help="a directory whose files are searched too")
    parser.add_argument("--keep", nargs="*", default=[], help="file name patterns that hold a secret on purpose")
    options = parser.parse_args()
    with open(options.secrets) as handle:
        seen = json.load(handle)["secrets"]
    secrets, short = leak_search.secret_values(seen)
    output = leak_search.read_text(options.log)
    paths = leak_search.files_under(options.files, options.keep) if options.files else []
    leaks = leak_search.search(seen, itertools.chain([(options.log, output)], leak_search.read_each(paths)))
    print("leak_search: %d secret values searched (%d shorter than %d skipped) in %d lines of output and %d files; %d found"
          % (len(secrets), short, leak_search.MIN_LENGTH, len(output.splitlines()), len(paths), len(leaks)))
    for leak in leaks:
        print("LEAK a secret (%s...) appears in %s%s" % (leak.secret, leak.where, lines_of(leak)))
    return 1 if leaks else 0


def lines_of(leak):
    return " at line(s) %s" % ", ".join(str(n) for n in leak.lines[:5]) if leak.lines else ""


if __name__ == "__main__":
    sys.exit(main())

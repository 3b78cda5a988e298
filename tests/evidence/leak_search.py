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
import fnmatch
import json
import os
import sys

from harness import MIN_LENGTH, hits_in, secret_values


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("secrets")
    parser.add_argument("log")
    parser.add_argument("--files", help="a directory whose files are searched too")
    parser.add_argument("--keep", nargs="*", default=[], help="file name patterns that hold a secret on purpose")
    options = parser.parse_args()
    with open(options.secrets) as handle:
        seen = json.load(handle)["secrets"]
    secrets, short = secret_values(seen)
    problems = []
    with open(options.log, errors="replace") as handle:
        lines = handle.read().splitlines()
    for secret in secrets:
        where = [str(number) for number, line in enumerate(lines, 1) if secret in line]
        if where:
            problems.append("a secret (%s...) appears in %s at line(s) %s" % (secret[:4], options.log, ", ".join(where[:5])))
    searched = 0
    for folder, _dirs, files in os.walk(options.files or os.devnull):
        for name in files:
            path = os.path.join(folder, name)
            if any(fnmatch.fnmatch(name, pattern) for pattern in options.keep):
                continue
            searched += 1
            with open(path, "rb") as handle:
                content = handle.read().decode("utf-8", "replace")
            problems += ["a secret (%s...) appears in the file %s" % (s[:4], path) for s in hits_in(content, secrets)]
    print("leak_search: %d secret values searched (%d shorter than %d skipped) in %d lines of output and %d files; %d found"
          % (len(secrets), short, MIN_LENGTH, len(lines), searched, len(problems)))
    for problem in problems:
        print("LEAK " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

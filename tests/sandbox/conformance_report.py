"""Summarise a ``--spec`` sandbox's conformance counts: ``python3 conformance_report.py URL``.

URL is the sandbox's base URL (``http://127.0.0.1:PORT/v2`` or without ``/v2``). Prints one summary
line and up to 20 violations; exits 1 when there is any violation or when nothing was validated.
Standard library only.
"""
from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request

SHOWN_VIOLATIONS = 20


def fetch(url: str) -> dict:
    root = url.rstrip("/")
    if root.endswith("/v2"):
        root = root[:-len("/v2")]
    try:
        with urllib.request.urlopen(root + "/_sandbox/conformance", timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:  # 400 when the sandbox runs without --spec
        raise SystemExit("conformance: %s" % json.load(exc).get("error", exc)) from None
    except (OSError, ValueError) as exc:
        raise SystemExit("conformance: cannot read %s/_sandbox/conformance: %s" % (root, exc)) from None


def summary(report: dict) -> list[str]:
    used = sorted(report["departures_used"])
    lines = ["conformance: %d requests and %d responses validated against the OpenAPI subset, %d violations, "
             "%d undeclared response fields, departures used: %d of %d (%s)" % (
                 report["requests_validated"], report["responses_validated"], report["violation_count"],
                 report["undeclared_response_fields"], len(used), report["departures_listed"], ", ".join(used))]
    for violation in report["violations"][:SHOWN_VIOLATIONS]:
        lines.append("  %(method)s %(path)s -> %(status)s, %(where)s: %(reason)s" % violation)
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    report = fetch(argv[0])
    print("\n".join(summary(report)))
    nothing = report["requests_validated"] == 0 and report["responses_validated"] == 0
    return 1 if report["violation_count"] or nothing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

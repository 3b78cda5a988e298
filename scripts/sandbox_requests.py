"""Print what a sandbox was asked: one line with the API requests by method, and how many could write.

    python scripts/sandbox_requests.py http://127.0.0.1:PORT
"""

from __future__ import annotations

import collections
import json
import sys
import urllib.request

# A validation POST reads only: it is no write.
READS = {("POST", "/v2/addresses/actions/validate")}


def main():
    with urllib.request.urlopen(sys.argv[1] + "/_sandbox/requests") as answer:
        log = json.load(answer)["requests"]
    counts = collections.Counter(entry["method"] for entry in log)
    writes = [e for e in log if e["method"] != "GET" and (e["method"], e["path"]) not in READS]
    print("== the sandbox answered %d API requests (%s), %d of them writes"
          % (len(log), ", ".join("%s %d" % pair for pair in sorted(counts.items())), len(writes)))


if __name__ == "__main__":
    main()

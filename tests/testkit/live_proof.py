"""Live mode's helpers (scripts/live.sh): its integration_config.yml, and the proof run against the sandbox.

The proof seeds bystanders of every resource type (some named like a run's prefix without carrying it),
then after each live run checks: every bystander unchanged, nothing of the run left, one delete per
create, no write to a bystander. Each command works in WORK, a directory of the proof's files.
"""

from __future__ import annotations

import json
import os

from .fixtures import CONNECTION_ID

PATHS = ["billing_groups", "access_ip_address", "access_ip_ranges", "addresses", "authentication_providers",
         "integration_secrets", "telephony_credentials"]
KEYS = ["name", "short_name", "identifier", "customer_reference", "description"]
DEFAULT_URL = "https://api.telnyx.com/v2"


def write_config(path, prefix, env=None):
    """The live target's integration_config.yml, mode 0600, from TELNYX_LIVE_* (values never on a command line)."""
    env = os.environ if env is None else env
    values = {
        "live_api_url": env.get("TELNYX_LIVE_API_URL") or DEFAULT_URL,
        "live_api_key": env["TELNYX_LIVE_API_KEY"],
        "live_connection_id": env.get("TELNYX_LIVE_CONNECTION_ID", ""),
        "live_prefix": prefix,
        "live_fail_after": env.get("TELNYX_LIVE_FAIL_AFTER", ""),
    }
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        # JSON strings are YAML.
        handle.writelines("%s: %s\n" % (key, json.dumps(value)) for key, value in values.items())


def lookalikes(prefix):
    """Names like a run's prefix without starting with it."""
    return [prefix[:-1], "x-" + prefix, prefix.upper(), "ansible-live-19700101-000000-00000000",
            prefix.replace("ansible-live-", "ansible-live_")]


def seed(sandbox, work, prefixes):
    names = ["ops", "support"] + [n for prefix in prefixes for n in lookalikes(prefix)]
    objects = {
        "billing_groups": [{"name": n + "-billing-group"} for n in names] + [{}],
        "access_ip_address": [{"ip_address": "203.0.113.%d" % (i + 1), "description": n + " access ip"}
                              for i, n in enumerate(names)] + [{"ip_address": "2001:db8::1"}],
        "access_ip_ranges": [{"cidr_block": "10.%d.0.0/16" % i, "description": n + " access ip range"}
                             for i, n in enumerate(names)] + [{"cidr_block": "2001:db8:ffff::/48"}],
        "addresses": [{"customer_reference": n + "-address", "first_name": "By", "last_name": "Stander",
                       "business_name": n, "street_address": "%d Congress Ave" % (i + 1), "locality": "Austin",
                       "administrative_area": "TX", "postal_code": "78701", "country_code": "US"}
                      for i, n in enumerate(names)],
        "authentication_providers": [{"short_name": n + "-sso", "name": n + "-sso provider", "settings": {
            "idp_entity_id": "https://idp.example.com/b", "idp_sso_target_url": "https://idp.example.com/b/sso",
            "idp_cert_fingerprint": "13:38:C7:BB:C9:FF:4A:72:E1:A8:5D:A8:9F:E6:95:0A:64:C8:B5:EC"}} for n in names],
        "integration_secrets": [{"identifier": n + "-secret", "type": "bearer", "token": "bystander-token-%03d" % i}
                                for i, n in enumerate(names)],
        "telephony_credentials": [{"name": n + "-credential", "connection_id": CONNECTION_ID, "tag": "bystanders"}
                                  for n in names],
    }
    sandbox.seed(objects)
    state = sandbox.state()
    bystanders = {path: {o["id"]: o for o in state[path]} for path in PATHS}
    dump(bystanders, work, "bystanders.json")
    return "live_proof: seeded %d bystanders" % sum(len(v) for v in bystanders.values())


def check(sandbox, work, prefix, run):
    """The assertions after a run (writes WORK/RUN.json): (problems, figures line)."""
    bystanders = load(work, "bystanders.json")
    state = sandbox.state()
    requests = sandbox.requests()
    problems = []
    ids = {i for objects in bystanders.values() for i in objects}
    for path in PATHS:
        now = {o["id"]: o for o in state[path]}
        for i, before in bystanders[path].items():
            if now.get(i) != before:
                problems.append("bystander %s/%s changed or gone: %s -> %s" % (path, i, before, now.get(i)))
        for i, obj in now.items():
            if i in ids:
                continue
            carries = any(str(obj.get(k) or "").startswith(prefix) for k in KEYS)
            if carries and not obj.get("deleted_at"):
                problems.append("left behind by the run: %s/%s %s" % (path, i, obj))
            elif not (path == "billing_groups" and obj.get("deleted_at")
                      and str(obj.get("name") or "").startswith("ansible-live-")):
                problems.append("an object that is neither a bystander nor a deleted object of a run: %s/%s %s"
                                % (path, i, obj))
    ok = [r for r in requests if 200 <= r["status"] < 300]
    # A create answered with a fault made the object too: the proof queues only after_effect faults.
    creates = [r for r in requests if r["method"] == "POST" and (200 <= r["status"] < 300 or r["fault"])
               and r["path"].strip("/").split("/")[1:] in [[p] for p in PATHS]]
    deletes = [r for r in ok if r["method"] == "DELETE"]
    for r in requests:
        if r["method"] != "GET" and set(r["path"].split("/")) & ids:
            problems.append("a write to a bystander: %s %s -> %s" % (r["method"], r["path"], r["status"]))
    if not creates or len(deletes) != len(creates):
        problems.append("%d creates and %d deletes (expected some, and one delete per create)" % (len(creates), len(deletes)))
    by_path = {}
    for r in creates + deletes:
        key = "%s %s" % (r["method"], r["path"].split("/")[2])
        by_path[key] = by_path.get(key, 0) + 1
    count = sum(len(v) for v in bystanders.values())
    dump({"created": len(creates), "deletes": len(deletes), "requests": len(requests), "bystanders": count}, work, run + ".json")
    line = "%s: %d requests; %s; %d bystanders unchanged" % (
        run, len(requests), ", ".join("%s %d" % kv for kv in sorted(by_path.items())), count)
    return problems, line


def summary(work, fail_after):
    runs = [load(work, run + ".json") for run in ("run1", "run2", "run3")]
    return ("live_proof: %d objects created and removed by the run, %d bystanders untouched, %d requests;"
            " failed on purpose after %s: %d created and removed, %d requests; an ambiguous create: %d created and removed"
            " (1 by the sweep), %d requests; %d DELETEs in all, none on a bystander"
            % (runs[0]["created"], runs[0]["bystanders"], runs[0]["requests"], fail_after, runs[1]["created"],
               runs[1]["requests"], runs[2]["created"], runs[2]["requests"], sum(run["deletes"] for run in runs)))


def dump(value, work, name):
    with open(os.path.join(work, name), "w") as handle:
        json.dump(value, handle)


def load(work, name):
    with open(os.path.join(work, name)) as handle:
        return json.load(handle)

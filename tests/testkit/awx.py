"""The AWX runs (scripts/test.sh awx-runner): every job template of extensions/awx, run by ansible-runner as AWX runs it.

For each template, against a fresh sandbox: ansible-runner's private data directory holds the project (the
installed release's playbooks), the environment a credential of our type injects (its injectors rendered with
Jinja, as AWX renders them, for the sandbox's URL and key) with the installed release as the collections, and
the template's extra variables. The job runs, then runs again. After the first run the sandbox must hold what
the extra variables ask for; the second must change nothing (changed=0 in its stats, no write reaching the
sandbox); no output of either may hold a secret the sandbox saw (testkit.leaks).

The static checks of the same files (their structure, the credential type, extra_vars against the
playbooks' vars_files, the guide's blocks) are tests/evidence/doc_examples.py's.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess

from .fixtures import API_KEY
from .leaks import read_each, search as search_leaks
from .runs import tool
from .sandbox import Sandbox, child_env

# The account_bootstrap variables whose items are objects of one state key, and the natural key naming them.
BOOTSTRAP_LISTS = {"telnyx_billing_groups": ("billing_groups", "name"),
                   "telnyx_addresses": ("addresses", "customer_reference"),
                   "telnyx_authentication_providers": ("authentication_providers", "short_name"),
                   "telnyx_integration_secrets": ("integration_secrets", "identifier"),
                   "telnyx_telephony_credentials": ("telephony_credentials", "name")}


# Playbooks that write nothing to the account: their templates run against the account the bootstrap template made.
READ_ONLY = ("drift.yml", "export.yml")


def load_yaml(path):
    import yaml  # the tool venv's, as jinja2 below: only the AWX commands need them

    with open(path) as handle:
        return yaml.safe_load(handle)


def injected_env(credential_type, inputs):
    """The environment a credential of this type injects, rendered as AWX renders it."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    # AWX leaves inputs without a value out of the template's namespace.
    given = {k: v for k, v in inputs.items() if v not in (None, "")}
    return {name: ImmutableSandboxedEnvironment().from_string(template).render(**given)
            for name, template in credential_type["injectors"]["env"].items()}


def job_templates(awx_dir):
    """{file name: job template} of every extensions/awx/job_template_*.yml."""
    return {os.path.basename(p): load_yaml(p) for p in sorted(glob.glob(os.path.join(awx_dir, "job_template_*.yml")))}


def natural_keys(state):
    """{state key: sorted natural keys of the live objects} of every kind of object the templates may make."""
    keys = dict(BOOTSTRAP_LISTS.values())
    keys.update(access_ip_address="ip_address", access_ip_ranges="cidr_block")
    return {kind: sorted(o[key] for o in state.get(kind, []) if not o.get("deleted_at")) for kind, key in keys.items()}


def wanted_state(template):
    """What a fresh sandbox must hold after the template's first run: {state key: sorted natural keys}, every kind."""
    extra = template["extra_vars"]
    wanted = {kind: [] for kind in natural_keys({})}
    if template["playbook"].endswith("bootstrap.yml"):
        wanted.update({kind: sorted(item[key] for item in extra[variable])
                       for variable, (kind, key) in BOOTSTRAP_LISTS.items() if variable in extra})
        entries = [e if isinstance(e, str) else e.get("ip_address") or e.get("cidr_block")
                   for e in (extra.get("telnyx_access_ip_allowlist") or {}).get("entries", [])]
        wanted["access_ip_address"] = sorted(e for e in entries if "/" not in e)
        wanted["access_ip_ranges"] = sorted(e for e in entries if "/" in e)
    elif template["playbook"].endswith(READ_ONLY):
        return {}  # what the account held before: they write nothing
    elif template["playbook"].endswith("rotate.yml"):
        # On an account without them, each credential to rotate is made as its first version, <base>_v1.
        wanted["telephony_credentials"] = sorted("%s_v1" % c["base"] for c in extra["telnyx_rotation_telephony_credentials"])
    else:
        raise ValueError("no expected state is known for the playbook %s" % template["playbook"])
    return wanted


class Job:
    """One job template's runs in a private data directory of its own."""

    def __init__(self, name, template, private):
        self.name, self.template, self.private = name, template, private
        self.idents = []

    def write(self, collection, credential_type, url):
        """The project (the release's playbooks), the credential's environment and the extra variables."""
        shutil.rmtree(self.private, ignore_errors=True)
        os.makedirs(os.path.join(self.private, "env"))
        shutil.copytree(os.path.join(collection, "playbooks"), os.path.join(self.private, "project", "playbooks"))
        env = injected_env(credential_type, {"api_key": API_KEY, "api_url": url})
        # Where the execution environment keeps collections: the installed release's root.
        env["ANSIBLE_COLLECTIONS_PATH"] = os.path.dirname(os.path.dirname(os.path.dirname(collection)))
        self.dump("envvars", env)
        self.dump("extravars", self.template["extra_vars"])

    def dump(self, name, value):
        with open(os.path.join(self.private, "env", name), "w") as handle:
            json.dump(value, handle)

    def run(self):
        """ansible-runner run: (its status, {host: tasks changed}, failed or unreachable hosts, whether it gave stats)."""
        ident = "%s-%d" % (self.name[:-len(".yml")], len(self.idents) + 1)
        self.idents.append(ident)
        # Nothing of the caller's Ansible or Telnyx settings: only what the job's envvars give, as in AWX.
        env = {k: v for k, v in child_env().items() if not k.startswith(("ANSIBLE_", "TELNYX_"))}
        subprocess.run([tool("ansible-runner"), "run", self.private, "-p", self.template["playbook"], "--ident", ident],
                       env=env, check=False)
        artifacts = os.path.join(self.private, "artifacts", ident)
        with open(os.path.join(artifacts, "status")) as handle:
            status = handle.read().strip()
        stats = [e["event_data"] for e in self.events(ident) if e.get("event") == "playbook_on_stats"]
        last = stats[-1] if stats else {}
        failed = sorted(host for kind in ("failures", "dark") for host, count in (last.get(kind) or {}).items() if count)
        return status, last.get("changed") or {}, failed, bool(stats)

    def events(self, ident):
        for path in sorted(glob.glob(os.path.join(self.private, "artifacts", ident, "job_events", "*.json"))):
            with open(path) as handle:
                yield json.load(handle)

    def outputs(self):
        """What the runs printed: ansible-runner's stdout and job events, the sources of the leak search."""
        paths = [os.path.join(self.private, "artifacts", ident, "stdout") for ident in self.idents]
        paths += sorted(p for ident in self.idents
                        for p in glob.glob(os.path.join(self.private, "artifacts", ident, "job_events", "*.json")))
        return read_each(paths, lambda path: os.path.relpath(path, self.private))


def run_templates(collection, private_root, log_path):
    """Every job template of the installed release's extensions/awx, run twice: (problems, figures line)."""
    awx_dir = os.path.join(collection, "extensions", "awx")
    credential_type = load_yaml(os.path.join(awx_dir, "credential_type.yml"))
    templates = job_templates(awx_dir)
    if not templates:
        return ["no job template in %s" % awx_dir], None
    problems, jobs = [], []
    shutil.rmtree(private_root, ignore_errors=True)
    with Sandbox("--access-ip-settle-ms", "0", log_path=log_path) as sandbox:
        for name, template in templates.items():
            sandbox.reset()
            if template["playbook"].endswith(READ_ONLY):
                # The account the bootstrap template makes, which the drift template's variables describe too.
                made = Job("bootstrap-for-" + name, templates["job_template_bootstrap.yml"],
                           os.path.join(private_root, "bootstrap-for-" + name[:-len(".yml")]))
                made.write(collection, credential_type, sandbox.url)
                made.run()
            jobs.append(Job(name, template, os.path.join(private_root, name[:-len(".yml")])))
            jobs[-1].write(collection, credential_type, sandbox.url)
            problems += ["%s: %s" % (name, p) for p in run_twice(jobs[-1], sandbox)]
        seen = sandbox.secrets()["secrets"]
    problems += ["LEAK: a secret (%s...) appears in %s" % (leak.secret, leak.where)
                 for job in jobs for leak in search_leaks(seen, job.outputs())]
    done = ["%s (%s)" % (name, "writes nothing" if template["playbook"].endswith(READ_ONLY)
                         else counts(wanted_state(template)) + ", nothing else") for name, template in templates.items()]
    line = ("awx_runner: %d job templates, each run twice by ansible-runner with the credential type's injected "
            "environment, the second changing nothing: %s; %d secrets searched in their output, %d found"
            % (len(templates), "; ".join(done), len(seen), sum(p.startswith("LEAK") for p in problems)))
    return problems, line


def counts(state):
    return ", ".join("%s %d" % (kind, len(names)) for kind, names in sorted(state.items()) if names)


def run_twice(job, sandbox):
    """The job's first run must leave what its extra variables ask for, its second change nothing; a read-only
    job (drift, export) must succeed twice on the account the bootstrap template made, writing nothing."""
    problems = []
    read_only = job.template["playbook"].endswith(READ_ONLY)
    before = natural_keys(sandbox.state())
    sandbox.clear_log()
    status, changed, failed, stats = job.run()
    if status != "successful" or failed or not stats:
        return ["run 1: ansible-runner status %s, failed hosts %s%s" % (status, failed, "" if stats else ", no stats")]
    if read_only:
        sent = ["%s %s" % (r["method"], r["path"]) for r in sandbox.writes()]
        if sent or natural_keys(sandbox.state()) != before:
            problems.append("run 1 of a read-only job wrote %d requests: %s" % (len(sent), ", ".join(sent[:3])))
    have, want = natural_keys(sandbox.state()), wanted_state(job.template) or before
    problems += ["run 1: the sandbox holds %s %s, the extra variables ask for %s" % (kind, have.get(kind), names)
                 for kind, names in sorted(want.items()) if have.get(kind) != names]
    if not any(changed.values()) and not read_only:
        problems.append("run 1 changed nothing")
    sandbox.clear_log()
    status, changed, failed, stats = job.run()
    if status != "successful" or failed or not stats:
        return problems + ["run 2: ansible-runner status %s, failed hosts %s" % (status, failed)]
    if any(changed.values()):
        problems.append("run 2 (again): changed %s, wanted 0" % changed)
    sent = ["%s %s" % (r["method"], r["path"]) for r in sandbox.writes()]
    if sent:
        problems.append("run 2 (again) sent %d writes: %s" % (len(sent), ", ".join(sent[:3])))
    return problems

"""Hostile-server suite: the real modules against a loopback server that answers whatever a case scripts.

    .venv/bin/python tests/evidence/hostile.py [--only NAME ...]      (scripts/test.sh runs it)

Each case runs a module as Ansible does (JSON arguments on stdin, testkit's run_module) against
tests/evidence/hostile_server.py and asserts its outcome: success where success is right, else a
failure in one clear line (no traceback, under 300 characters, naming what is wrong); what the
server received (the key only as a Bearer token, never Basic auth, nothing after a refusal);
time and memory bounds; and that no secret (the key as given, as sent) appears in any output.
Every case runs on both paths a module may take, judged the same way: as a module process, and as the action
runs it for a task on a local connection (a fork of testkit's controller fork server); a case that sets an
environment (proxies, CA bundles, HOME, TELNYX_*) runs a third time with it as the task's ``environment:``.
Classes: A credentials, B bodies, C bounds, D TLS and proxies, E misleading URLs. Prints
``hostile:`` figures lines; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import sys
import tempfile
import time

from harness import (API_KEY as SANDBOX_KEY, PATHS, ControllerForks, Sandbox, leaks as leak_search, module_env, run_groups,
                     run_module, table)
from hostile_server import Answer, HostileServer, page

KEY = "hostile-KEY-4f7c2a9e31d8b6"
PASSWORD = "s3cret-url-pass-7731"
CASE_SECONDS = 10.0
MAX_RSS_MB = 250
MIB = 1024 * 1024
# The resource engine (module side) joins two client messages after an ambiguous create, so such a
# line may run to twice the client's own bound; still one line.
ENGINE_TWICE = 600
# Cases at once, each worker with servers of its own; few, so that the time and memory bounds stay meaningful.
WORKERS = int(os.environ.get("HOSTILE_WORKERS", "2"))

# A run's peak memory and the moment its own work began: measured_run.py for a module process, testkit's fork
# server on the controller path (the imports made before the fork, as Ansible's worker has made them).
MEASURED_RUN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "measured_run.py")
# The ways every case runs, judged the same way. On the module path the case's environment (proxies, CA bundles,
# HOME for ~/.netrc, TELNYX_*) is the module process's, as on a local connection; on the controller path it is the
# worker's (as AWX injects it) and, for the cases that set one, also the task's ``environment:``, which the action
# sets in os.environ for the run only (run_in_process): the case then runs a third time that way.
MODULE, CONTROLLER = PATHS
TASK_ENV = "controller, task environment"

GROUP = {"id": "6a09cdc3-0000-4000-8000-000000000001", "record_type": "billing_group", "name": "one",
         "organization_id": "org", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"}


def group(number):
    return dict(GROUP, id="6a09cdc3-0000-4000-8000-%012d" % number, name="g%d" % number)


def zeros(total, chunk=MIB):
    def generate():
        sent = 0
        while sent < total:
            yield b"0" * chunk
            sent += chunk
    return generate


def gzip_bomb(size):
    """A small gzip body that expands to ``size`` bytes of spaces (valid JSON whitespace)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as handle:
        block = b" " * MIB
        for dummy in range(size // MIB):
            handle.write(block)
    return out.getvalue()


def drip(total, piece=b" "):
    def generate():
        for dummy in range(total):
            yield piece
    return generate


def nested(depth):
    return ('{"data": ' + "[" * depth + "]" * depth + "}").encode()


class Context:
    """One worker's servers (plain, proxy, TLS, a sandbox on first use) and work directory, a context manager; and
    what the case running in it has done: its runs, the secrets it chose, the variant it runs in."""

    bomb = b""  # the gzip bomb, made once for every worker
    forks = None  # the controller path's fork server (testkit.controller_forks), one for every worker

    def __init__(self):
        self.workdir = tempfile.mkdtemp(prefix="hostile-suite-")
        os.makedirs(os.path.join(self.workdir, "home"))
        self.plain = self.proxy = self.tls = self._sandbox = None
        self.runs = []
        self.secrets = [KEY]
        self.variant = MODULE
        self.environment_driven = False

    def __enter__(self):
        self.plain = HostileServer().start()
        self.proxy = HostileServer().start()
        self.tls = HostileServer(tls=True).start()
        return self

    def __exit__(self, *exc):
        for server in (self.plain, self.proxy, self.tls, self._sandbox):
            if server is not None:
                server.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def sandbox(self):
        """The local Telnyx stand-in, for cases where state matters (started on first use)."""
        if self._sandbox is None:
            self._sandbox = Sandbox("--access-ip-settle-ms", "0",
                                    log_path=os.path.join(self.workdir, "sandbox.out")).start()
        self._sandbox.reset()
        self._sandbox.clear_log()
        return self._sandbox

    def begin(self, variant):
        """A fresh start for one case in one variant."""
        self.variant, self.runs, self.secrets, self.environment_driven = variant, [], [KEY], False

    def run(self, name, args, url=None, key=KEY, env=None, home=None):
        module_args = dict(args)
        if url is not None:
            module_args["api_url"] = url
        if key is not None:
            module_args["api_key"] = key
        module_args.setdefault("max_retries", 0)
        module_args.setdefault("timeout", 5)
        environ = {k: v for k, v in module_env().items()
                   if not k.upper().endswith("_PROXY") and k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
        environ.update(HOME=os.path.join(self.workdir, "home"))
        case_env = dict(env or {}, **({"HOME": home} if home else {}))
        self.environment_driven |= bool(case_env)
        if self.variant != TASK_ENV:
            environ.update(case_env)
        path = MODULE if self.variant == MODULE else CONTROLLER
        run = run_module(name, module_args, api_key=None, timeout=CASE_SECONDS + 10, env=environ, path=path,
                         task_env=case_env if self.variant == TASK_ENV else None,
                         command=self.forks.command(name, measured=True) if path == CONTROLLER
                         else [sys.executable, MEASURED_RUN, name])
        ended = time.monotonic()  # CLOCK_MONOTONIC: one clock for every process of the machine
        run.maxrss_mb = 0
        run.work_seconds = run.seconds
        for line in run.stderr.splitlines():
            if line.startswith("maxrss_kb="):
                run.maxrss_mb = int(line.split("=", 1)[1]) / 1024.0
            elif line.startswith("work_began="):
                run.work_seconds = ended - float(line.split("=", 1)[1])
        self.runs.append(run)
        return run


# -- what a case asserts ---------------------------------------------------------------------------

def fails(run, *words, limit=300):
    """A failure in one clear line naming what is wrong (every word, case-insensitive)."""
    problems = []
    if not run.failed:
        return ["succeeded where it must fail"]
    message = run.message
    if "\n" in message or len(message) >= limit or not message.strip():
        problems.append("unclear message (%d chars): %r" % (len(message), message[:120]))
    for word in words:
        if word.lower() not in message.lower():
            problems.append("message does not say %r: %s" % (word, message[:200]))
    return problems


def succeeds(run):
    if run.failed:
        return ["failed where it must succeed: %s" % run.message[:200]]
    return []


def warned(run, word):
    warnings = " ".join(str(w) for w in (run.result or {}).get("warnings") or [])
    return [] if word.lower() in warnings.lower() else ["no warning saying %r (warnings: %s)" % (word, warnings[:160])]


def nothing_received(server):
    return ["the server received %d requests after a refusal" % len(server.received)] if server.received else []


def bearer_only(server, key=KEY):
    """Every request carries the key as a Bearer token and nowhere else; never Basic auth."""
    problems = []
    if not server.received:
        problems.append("the server received nothing")
    for request in server.received:
        auth = request["headers"].get("Authorization", "")
        if auth != "Bearer " + key:
            problems.append("Authorization was %r, not the Bearer key" % (auth[:6] + "..."))
        others = json.dumps([request["target"], request["body"],
                             {k: v for k, v in request["headers"].items() if k != "Authorization"}])
        if key in others:
            problems.append("the key travelled outside the Authorization header")
    return problems


def within(run, seconds):
    """The module's own work (not Python's start-up) ended within the bound."""
    return [] if run.work_seconds <= seconds else ["took %.1f s, more than %s s" % (run.work_seconds, seconds)]


def small(run, megabytes=MAX_RSS_MB):
    return [] if run.maxrss_mb <= megabytes else ["peak memory %.0f MB, more than %d MB" % (run.maxrss_mb, megabytes)]


CASES = []


def case(klass, name):
    def register(function):
        CASES.append((klass, name, function))
        return function
    return register


INFO = "billing_group_info"
CREATE = "billing_group"
EMPTY = page([])


# -- A: the key is the only credential, sent as given (stripped), masked in both forms ---------

@case("A", "userinfo user:password@ in api_url refused before any request, password not shown")
def a_userinfo(ctx):
    ctx.plain.script(default=EMPTY)
    url = ctx.plain.url.replace("://", "://admin:%s@" % PASSWORD)
    ctx.secrets.append(PASSWORD)
    run = ctx.run(INFO, {}, url=url)
    return fails(run, "user name or password") + nothing_received(ctx.plain)


@case("A", "userinfo user@ (no password) in api_url refused before any request")
def a_userinfo_user(ctx):
    ctx.plain.script(default=EMPTY)
    run = ctx.run(INFO, {}, url=ctx.plain.url.replace("://", "://admin@"))
    return fails(run, "user name or password") + nothing_received(ctx.plain)


def netrc_home(ctx, text):
    home = os.path.join(ctx.workdir, "netrc-home")
    os.makedirs(home, exist_ok=True)
    path = os.path.join(home, ".netrc")
    with open(path, "w") as handle:
        handle.write(text)
    os.chmod(path, 0o600)
    return home


@case("A", "a ~/.netrc machine entry for the API host is never read: key sent as Bearer")
def a_netrc_machine(ctx):
    ctx.plain.script(default=EMPTY)
    home = netrc_home(ctx, "machine 127.0.0.1 login netrcuser password netrc-pass-9911\n")
    ctx.secrets.append("netrc-pass-9911")
    run = ctx.run(INFO, {}, url=ctx.plain.url, home=home)
    return succeeds(run) + bearer_only(ctx.plain)


@case("A", "a ~/.netrc default entry is never read: key sent as Bearer")
def a_netrc_default(ctx):
    ctx.plain.script(default=EMPTY)
    home = netrc_home(ctx, "default login netrcuser password netrc-pass-9912\n")
    ctx.secrets.append("netrc-pass-9912")
    run = ctx.run(INFO, {}, url=ctx.plain.url, home=home)
    return succeeds(run) + bearer_only(ctx.plain)


@case("A", "a key with surrounding whitespace is sent stripped, as Bearer")
def a_key_whitespace(ctx):
    ctx.plain.script(default=EMPTY)
    run = ctx.run(INFO, {}, url=ctx.plain.url, key="  %s \n" % KEY)
    return succeeds(run) + bearer_only(ctx.plain)


@case("A", "the stripped key echoed back by the server is masked in the message")
def a_key_echo_stripped(ctx):
    ctx.plain.script(default=Answer(422, body={"errors": [{"code": "10015", "title": "Bad", "detail": "key %s bad" % KEY}]}))
    run = ctx.run(INFO, {}, url=ctx.plain.url, key="\t%s  " % KEY)
    return fails(run, "HTTP 422") + bearer_only(ctx.plain)


@case("A", "the key echoed back in a 401 is masked")
def a_key_echo_401(ctx):
    ctx.plain.script(default=Answer(401, body={"errors": [{"code": "10009", "title": "Authentication failed",
                                                           "detail": "Bearer %s unknown" % KEY}]}))
    run = ctx.run(INFO, {}, url=ctx.plain.url)
    return fails(run, "HTTP 401", "api_key")


@case("A", "a key holding a line break fails before any request, saying so")
def a_key_line_break(ctx):
    ctx.plain.script(default=EMPTY)
    run = ctx.run(INFO, {}, url=ctx.plain.url, key=KEY[:10] + "\n" + KEY[10:])
    ctx.secrets += [KEY[:10], KEY[10:]]
    return fails(run, "line break") + nothing_received(ctx.plain)


@case("A", "a key holding a tab fails before any request")
def a_key_tab(ctx):
    ctx.plain.script(default=EMPTY)
    run = ctx.run(INFO, {}, url=ctx.plain.url, key=KEY[:10] + "\t" + KEY[10:])
    return fails(run, "api_key", "printable") + nothing_received(ctx.plain)


@case("A", "a key holding a non-ASCII character fails before any request")
def a_key_non_ascii(ctx):
    ctx.plain.script(default=EMPTY)
    run = ctx.run(INFO, {}, url=ctx.plain.url, key=KEY + "\u00e9")
    return fails(run, "api_key", "ASCII") + nothing_received(ctx.plain)


@case("A", "a whitespace-only key fails as empty before any request")
def a_key_blank(ctx):
    ctx.plain.script(default=EMPTY)
    run = ctx.run(INFO, {}, url=ctx.plain.url, key="  \n ")
    return fails(run, "api_key is empty") + nothing_received(ctx.plain)


# -- B: bodies that are not what they claim ------------------------------------------------------

@case("B", "200 with an HTML page: fails saying HTML and api_url")
def b_html(ctx):
    ctx.plain.script(default=Answer(200, body="<html><body>Welcome</body></html>", content_type="text/html"))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "HTML", "api_url")


@case("B", "200 with text/plain: fails saying not JSON")
def b_text(ctx):
    ctx.plain.script(default=Answer(200, body="ok", content_type="text/plain"))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "not JSON")


@case("B", "200 claiming JSON, body cut short: fails saying not valid JSON")
def b_bad_json(ctx):
    ctx.plain.script(default=Answer(200, body='{"data": [{"id": '))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "not valid JSON")


@case("B", "200 JSON that is a list, not an object: fails saying so")
def b_json_list(ctx):
    ctx.plain.script(default=Answer(200, body=[1, 2, 3]))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "not an object")


@case("B", "200 JSON whose data is a string on a listing: fails saying not a list")
def b_data_string(ctx):
    ctx.plain.script(default=Answer(200, body={"data": "abc"}))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "not a list")


@case("B", "200 JSON listing numbers in data: fails saying not an object")
def b_data_numbers(ctx):
    ctx.plain.script(default=Answer(200, body={"data": [1, 2]}))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "holds a value that is not an object")


@case("B", "200 JSON listing an object without an id, to account_info: fails saying so")
def b_data_no_id(ctx):
    ctx.plain.script(default=Answer(200, body={"data": [{"ip_address": "192.0.2.1"}]}))
    return fails(ctx.run("account_info", {}, url=ctx.plain.url), "an object without an id")


@case("B", "200 JSON listing objects with nothing but an id, to account_info: fails naming the missing address")
def b_data_only_ids(ctx):
    ctx.plain.script(default=page([{"id": "x-1"}]))
    return fails(ctx.run("account_info", {}, url=ctx.plain.url), "without ip_address")


@case("B", "200 with data: null on a listing: an empty list, success")
def b_data_null(ctx):
    ctx.plain.script(default=Answer(200, body={"data": None}))
    run = ctx.run(INFO, {}, url=ctx.plain.url)
    return succeeds(run) + bearer_only(ctx.plain)


@case("B", "200 JSON nested 100000 deep: fails saying nested too deeply, no RecursionError")
def b_deep(ctx):
    ctx.plain.script(default=Answer(200, body=nested(100000)))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "nested too deeply")


@case("B", "422 whose error body is nested 100000 deep: fails with HTTP 422")
def b_deep_error(ctx):
    ctx.plain.script(default=Answer(422, body=b'{"errors": ' + b"[" * 100000 + b"]" * 100000 + b"}"))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "HTTP 422")


@case("B", "200 JSON in invalid UTF-8: fails saying not valid JSON")
def b_bad_utf8(ctx):
    ctx.plain.script(default=Answer(200, body=b'{"data": ["\xff\xfe"]}'))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "not valid JSON")


@case("B", "422 with a numeric pointer: the pointer and detail are shown")
def b_numeric_pointer(ctx):
    ctx.plain.script(default=Answer(422, body={"errors": [{"code": 10015, "title": "Bad", "detail": "too long",
                                                           "source": {"pointer": 5}}]}))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "HTTP 422", "5: too long", "(10015)")


@case("B", "422 with lists where strings are expected: one line naming them")
def b_list_fields(ctx):
    ctx.plain.script(default=Answer(422, body={"errors": [{"code": ["10015"], "title": ["Bad", "Request"],
                                                           "detail": ["name", "is long"],
                                                           "source": {"pointer": ["/name"]}}]}))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "HTTP 422", "is long")


@case("B", "422 whose errors is a string: fails with HTTP 422")
def b_errors_string(ctx):
    ctx.plain.script(default=Answer(422, body={"errors": "bad things"}))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "HTTP 422")


@case("B", "422 with 1000 errors and 10 kB details: one line under 300 characters")
def b_many_errors(ctx):
    errors = [{"code": "10015", "title": "Bad", "detail": "x" * 10000 + "\nsecond line"} for dummy in range(1000)]
    ctx.plain.script(default=Answer(422, body={"errors": errors}))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "HTTP 422", "more errors")


@case("B", "201 HTML answer to a create: fails saying HTML; at most 2 POSTs (after a lookup)")
def b_create_html(ctx):
    hostile = Answer(201, body="<html>created?</html>", content_type="text/html")
    ctx.plain.script(default=lambda request: hostile if request["method"] == "POST" else EMPTY)
    run = ctx.run(CREATE, {"name": "made"}, url=ctx.plain.url)
    # The engine quotes both attempts' messages ("creating failed twice (...; then ...)"): module side.
    return fails(run, "HTML", limit=ENGINE_TWICE) + bounded_posts(ctx.plain)


def bounded_posts(server, most=2):
    """An ambiguous create is looked up, then tried again at most once: never a POST loop."""
    posts = [r for r in server.received if r["method"] == "POST"]
    return [] if 1 <= len(posts) <= most else ["%d POSTs sent" % len(posts)]


# -- C: bounds on pages, time and size -----------------------------------------------------------

@case("C", "pages that never run out (total_pages grows): stops one page past the first total, fails")
def c_growing_pages(ctx):
    counter = {"n": 0}

    def answer(request):
        counter["n"] += 1
        number = int(request["query"].get("page[number]", 1))
        return page([group(number)], number, total_pages=3 if number == 1 else number + 5)
    ctx.plain.script(default=answer)
    run = ctx.run(INFO, {}, url=ctx.plain.url)
    return fails(run, "did not end") + ([] if len(ctx.plain.received) == 4 else
                                        ["%d page requests, not 4" % len(ctx.plain.received)])


@case("C", "a listing repeating the same page: fails saying it does not progress")
def c_repeated_page(ctx):
    ctx.plain.script(default=page([group(1), group(2)], 1, total_pages=50))
    run = ctx.run(INFO, {}, url=ctx.plain.url)
    return fails(run, "repeats") + ([] if len(ctx.plain.received) == 2 else
                                    ["%d page requests, not 2" % len(ctx.plain.received)])


@case("C", "a listing repeating a page without total_pages: fails, two requests")
def c_repeated_no_total(ctx):
    ctx.plain.script(default=Answer(200, body={"data": [group(7)]}))
    run = ctx.run(INFO, {}, url=ctx.plain.url)
    return fails(run, "repeats") + ([] if len(ctx.plain.received) == 2 else
                                    ["%d page requests, not 2" % len(ctx.plain.received)])


@case("C", "an answer dripping a byte every 0.1 s: timeout 2 is a deadline, fails within 5 s")
def c_drip(ctx):
    ctx.plain.script(default=Answer(200, body=drip(200), drip=0.1, length=False))
    run = ctx.run(INFO, {"timeout": 2}, url=ctx.plain.url)
    return fails(run, "timeout") + within(run, 5)


@case("C", "a create whose answer drips: fails on the deadline; POST not retried blindly (at most 2, after a lookup)")
def c_drip_post(ctx):
    hostile = Answer(201, body=drip(200), drip=0.1, length=False)
    ctx.plain.script(default=lambda request: hostile if request["method"] == "POST" else EMPTY)
    run = ctx.run(CREATE, {"name": "made", "max_retries": 3, "timeout": 2}, url=ctx.plain.url)
    return fails(run, "deadline", limit=ENGINE_TWICE) + within(run, 8) + bounded_posts(ctx.plain)


@case("C", "headers dripping a byte every 0.1 s: timeout 2 is a deadline for them too, fails within 5 s")
def c_header_drip(ctx):
    ctx.plain.script(default=Answer(200, header_drip=0.1))
    run = ctx.run(INFO, {"timeout": 2}, url=ctx.plain.url)
    return fails(run, "deadline") + within(run, 5)


@case("D", "headers dripping over TLS: the deadline holds there too")
def d_tls_header_drip(ctx):
    ctx.tls.script(default=Answer(200, header_drip=0.1))
    run = ctx.run(INFO, {"timeout": 2, "validate_certs": False}, url=ctx.tls.url)
    return fails(run, "deadline") + within(run, 5)


@case("C", "no status line for 3 s with timeout 1: fails saying timeout")
def c_slow_headers(ctx):
    ctx.plain.script(default=Answer(200, body={"data": []}, delay=3))
    run = ctx.run(INFO, {"timeout": 1}, url=ctx.plain.url)
    return fails(run, "timeout") + within(run, 5)


@case("C", "a 300 MB body without Content-Length: fails at the 32 MiB cap, memory bounded")
def c_huge_body(ctx):
    ctx.plain.script(default=Answer(200, body=zeros(300 * MIB), length=False))
    run = ctx.run(INFO, {}, url=ctx.plain.url)
    return fails(run, "larger than 32 MiB") + within(run, CASE_SECONDS) + small(run)


@case("C", "a 300 MB Content-Length: fails before reading, memory bounded")
def c_huge_length(ctx):
    ctx.plain.script(default=Answer(200, body=zeros(300 * MIB), headers={"Content-Length": str(300 * MIB)},
                                    length=False))
    run = ctx.run(INFO, {}, url=ctx.plain.url)
    return fails(run, "larger than 32 MiB") + within(run, 5) + small(run)


@case("C", "a small gzip that expands to 300 MB: fails at the cap, memory bounded")
def c_gzip_bomb(ctx):
    ctx.plain.script(default=Answer(200, body=ctx.bomb, gzip=False, headers={"Content-Encoding": "gzip"}))
    run = ctx.run(INFO, {}, url=ctx.plain.url)
    return fails(run, "larger than 32 MiB") + within(run, CASE_SECONDS) + small(run)


@case("C", "a body cut short of its Content-Length: fails saying the connection broke")
def c_truncated(ctx):
    ctx.plain.script(default=Answer(200, body=b'{"data": [', headers={"Content-Length": "5000"}, length=False))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "broke")


@case("C", "a gzip body that is not gzip: fails in one line")
def c_bad_gzip(ctx):
    ctx.plain.script(default=Answer(200, body=b"this is not gzip at all", headers={"Content-Encoding": "gzip"}))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "GET /billing_groups")


# -- D: TLS and proxies ---------------------------------------------------------------------------

@case("D", "self-signed certificate with validate_certs true: fails at once (no retry), saying why")
def d_self_signed(ctx):
    ctx.tls.script(default=EMPTY)
    run = ctx.run(INFO, {"max_retries": 5}, url=ctx.tls.url)
    return fails(run, "TLS failed", "certificate") + within(run, 4) + nothing_received(ctx.tls)


@case("D", "validate_certs false: succeeds, with a warning")
def d_no_verify(ctx):
    ctx.tls.script(default=EMPTY)
    run = ctx.run(INFO, {"validate_certs": False}, url=ctx.tls.url)
    return succeeds(run) + warned(run, "validate_certs is false") + bearer_only(ctx.tls)


@case("D", "validate_certs false is not overridden by REQUESTS_CA_BUNDLE")
def d_no_verify_requests_bundle(ctx):
    ctx.tls.script(default=EMPTY)
    run = ctx.run(INFO, {"validate_certs": False}, url=ctx.tls.url,
                  env={"REQUESTS_CA_BUNDLE": os.path.join(ctx.workdir, "no-such-bundle.pem")})
    return succeeds(run) + bearer_only(ctx.tls)


@case("D", "validate_certs false is not overridden by CURL_CA_BUNDLE")
def d_no_verify_curl_bundle(ctx):
    ctx.tls.script(default=EMPTY)
    run = ctx.run(INFO, {"validate_certs": False}, url=ctx.tls.url,
                  env={"CURL_CA_BUNDLE": os.path.join(ctx.workdir, "no-such-bundle.pem")})
    return succeeds(run) + bearer_only(ctx.tls)


@case("D", "validate_certs true trusts REQUESTS_CA_BUNDLE: the server's own certificate works")
def d_ca_bundle(ctx):
    ctx.tls.script(default=EMPTY)
    run = ctx.run(INFO, {}, url=ctx.tls.url, env={"REQUESTS_CA_BUNDLE": ctx.tls.cert_path})
    return succeeds(run) + bearer_only(ctx.tls)


@case("D", "https api_url to a plain-HTTP server: fails at once on TLS, no retry")
def d_tls_to_plain(ctx):
    ctx.plain.script(default=EMPTY)
    run = ctx.run(INFO, {"max_retries": 5}, url=ctx.plain.url.replace("http://", "https://"))
    return fails(run, "TLS failed") + within(run, 4)


@case("D", "HTTP_PROXY and HTTPS_PROXY are ignored for a loopback api_url: the proxy sees nothing")
def d_proxy_loopback(ctx):
    ctx.plain.script(default=EMPTY)
    ctx.proxy.script(default=Answer(502))
    run = ctx.run(INFO, {}, url=ctx.plain.url, env={"HTTP_PROXY": ctx.proxy.base, "HTTPS_PROXY": ctx.proxy.base,
                                                    "http_proxy": ctx.proxy.base, "ALL_PROXY": ctx.proxy.base})
    return succeeds(run) + bearer_only(ctx.plain) + nothing_received(ctx.proxy)


@case("D", "HTTPS_PROXY for an https api_url: only a CONNECT reaches the proxy, no key; refusal is one line")
def d_proxy_connect(ctx):
    ctx.proxy.script(default=Answer(403, body=b"", content_type=None))
    run = ctx.run(INFO, {"timeout": 3}, url="https://api.telnyx.invalid/v2", env={"HTTPS_PROXY": ctx.proxy.base})
    problems = fails(run, "proxy")
    if not ctx.proxy.received:
        problems.append("the proxy received nothing (it was not used)")
    for request in ctx.proxy.received:
        if request["method"] != "CONNECT":
            problems.append("the proxy received a %s, not a CONNECT" % request["method"])
        if KEY in json.dumps(request):
            problems.append("the key reached the proxy")
    return problems


@case("D", "HTTP_PROXY alone is not used for an https api_url (the key would not be tunnelled)")
def d_http_proxy_for_https(ctx):
    ctx.proxy.script(default=Answer(502))
    run = ctx.run(INFO, {"timeout": 3}, url="https://api.telnyx.invalid/v2",
                  env={"HTTP_PROXY": ctx.proxy.base, "http_proxy": ctx.proxy.base})
    return fails(run, "could not connect") + nothing_received(ctx.proxy)


@case("D", "NO_PROXY naming the API host bypasses HTTPS_PROXY")
def d_no_proxy(ctx):
    ctx.proxy.script(default=Answer(502))
    run = ctx.run(INFO, {"timeout": 3}, url="https://api.telnyx.invalid/v2",
                  env={"HTTPS_PROXY": ctx.proxy.base, "NO_PROXY": "api.telnyx.invalid"})
    return fails(run, "could not connect") + nothing_received(ctx.proxy)


@case("D", "plain http:// to a host that is not loopback: refused before any request")
def d_plain_http_remote(ctx):
    ctx.proxy.script(default=Answer(502))
    run = ctx.run(INFO, {}, url="http://api.telnyx.invalid/v2", env={"HTTP_PROXY": ctx.proxy.base})
    return fails(run, "http://", "https") + nothing_received(ctx.proxy)


# -- E: messages that mislead ---------------------------------------------------------------------

@case("E", "api_url with trailing whitespace: stripped, said in a warning, succeeds")
def e_url_whitespace(ctx):
    ctx.plain.script(default=EMPTY)
    run = ctx.run(INFO, {}, url=ctx.plain.url + "  ")
    return succeeds(run) + warned(run, "whitespace") + bearer_only(ctx.plain)


@case("E", "TELNYX_API_URL with a trailing line break: stripped, said, succeeds")
def e_env_url_newline(ctx):
    ctx.plain.script(default=EMPTY)
    run = ctx.run(INFO, {}, env={"TELNYX_API_URL": ctx.plain.url + "\n"})
    return succeeds(run) + warned(run, "whitespace") + bearer_only(ctx.plain)


@case("E", "api_url without /v2 answered by a bare 404: the message says to end api_url in /v2")
def e_no_v2(ctx):
    ctx.plain.script(default=Answer(404, body="<html>Not Found</html>", content_type="text/html"))
    return fails(ctx.run(INFO, {}, url=ctx.plain.base), "HTTP 404", "/v2")


@case("E", "a bare 404 on a collection path: the message says to check api_url")
def e_collection_404(ctx):
    ctx.plain.script(default=Answer(404, body=b"", content_type=None))
    return fails(ctx.run(INFO, {}, url=ctx.plain.url), "HTTP 404", "api_url")


@case("E", "api_url with a space inside: refused before any request")
def e_url_space(ctx):
    ctx.plain.script(default=EMPTY)
    run = ctx.run(INFO, {}, url=ctx.plain.url.replace("/v2", "/ v2"))
    return fails(run, "api_url", "space") + nothing_received(ctx.plain)


# -- against the sandbox, where state matters -----------------------------------------------------

def made_once(sandbox, name):
    groups = [g for g in sandbox.state().get("billing_groups", []) if g.get("name") == name and not g.get("deleted_at")]
    return [] if len(groups) == 1 else ["%d billing groups named %s in the sandbox, not 1" % (len(groups), name)]


@case("A", "sandbox: a ~/.netrc default entry and a key with a trailing newline: created once as Bearer, then unchanged")
def a_sandbox_netrc(ctx):
    sandbox = ctx.sandbox()
    ctx.secrets.append(SANDBOX_KEY)
    home = netrc_home(ctx, "default login netrcuser password netrc-pass-9913\n")
    ctx.secrets.append("netrc-pass-9913")
    first = ctx.run(CREATE, {"name": "netrc-made"}, url=sandbox.url, key=SANDBOX_KEY + "\n", home=home)
    again = ctx.run(CREATE, {"name": "netrc-made"}, url=sandbox.url, key=SANDBOX_KEY + "\n", home=home)
    refusals = [r for r in sandbox.requests() if r["status"] == 401]
    problems = succeeds(first) + succeeds(again) + made_once(sandbox, "netrc-made")
    if again.result and again.result.get("changed"):
        problems.append("the second run changed something")
    return problems + (["the sandbox refused %d requests (401)" % len(refusals)] if refusals else [])


@case("E", "sandbox: api_url with trailing whitespace and proxies set: created once, directly, with a warning")
def e_sandbox_whitespace_proxies(ctx):
    sandbox = ctx.sandbox()
    ctx.secrets.append(SANDBOX_KEY)
    ctx.proxy.script(default=Answer(502))
    run = ctx.run(CREATE, {"name": "ws-made"}, url=sandbox.url + " \n", key=SANDBOX_KEY,
                  env={"HTTP_PROXY": ctx.proxy.base, "HTTPS_PROXY": ctx.proxy.base})
    return succeeds(run) + warned(run, "whitespace") + made_once(sandbox, "ws-made") + nothing_received(ctx.proxy)


@case("A", "sandbox: a key smuggling a header line is refused with no request made; a clean run then creates once")
def a_sandbox_injected_header(ctx):
    sandbox = ctx.sandbox()
    ctx.secrets.append(SANDBOX_KEY)
    refused = ctx.run(CREATE, {"name": "twice"}, url=sandbox.url, key=SANDBOX_KEY + "\nX-Injected: 1")
    sent = len(sandbox.requests())
    run = ctx.run(CREATE, {"name": "twice"}, url=sandbox.url, key=SANDBOX_KEY)
    return (fails(refused, "line break") + (["%d requests reached the sandbox after the refusal" % sent] if sent else [])
            + succeeds(run) + made_once(sandbox, "twice"))


def common_checks(ctx, runs):
    """Every run: no traceback, within the time bound, no secret in its output."""
    problems, tracebacks, leaks = [], 0, 0
    for run in runs:
        if run.traceback:
            tracebacks += 1
            problems.append("traceback or no JSON result: %s" % run.text()[-200:].replace("\n", " | "))
        if run.seconds > CASE_SECONDS:
            problems.append("took %.1f s" % run.seconds)
        for leak in leak_search.search(ctx.secrets, [("the output", run.text())], min_length=1):  # the case chose each
            leaks += 1
            problems.append("LEAK: a secret (%s...) appears in %s" % (leak.secret, leak.where))
    return problems, tracebacks, leaks


def run_case(ctx, case):
    """One case on every path it takes: its rows (class, case, path, s, MB, outcome, message) and counts. It runs
    a third time, with its environment as the task's, when its module-path run showed that it sets one."""
    rows, tracebacks, leaks = [], 0, 0
    for variant in (MODULE, CONTROLLER, TASK_ENV):
        if variant == TASK_ENV and not ctx.environment_driven:
            break
        row, found_tracebacks, found_leaks = run_variant(ctx, case, variant)
        rows.append(row)
        tracebacks += found_tracebacks
        leaks += found_leaks
    return rows, tracebacks, leaks


def run_variant(ctx, case, variant):
    """One case on one path: its row, and its tracebacks and leaks counted."""
    klass, dummy, function = case
    ctx.begin(variant)
    try:
        problems = function(ctx)
    except Exception as exc:  # a broken case is a failed case, not a broken suite
        problems = ["the case itself raised %s: %s" % (type(exc).__name__, exc)]
    more, tracebacks, leaks = common_checks(ctx, ctx.runs)
    problems += more
    outcome = "ok" if not problems else "FAIL: " + "; ".join(problems)
    last = ctx.runs[-1] if ctx.runs else None
    message = "" if last is None else (last.message if last.failed else "ok")
    return ([klass, function.__name__, variant, "%.1f" % sum(r.seconds for r in ctx.runs),
             "%.0f" % max([r.maxrss_mb for r in ctx.runs] or [0]), outcome[:150], message[:110]], tracebacks, leaks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--only", nargs="*", help="run only the cases whose function name contains one of these")
    options = parser.parse_args()
    cases = [c for c in CASES if not options.only or any(o in c[2].__name__ for o in options.only)]
    started = time.monotonic()
    Context.bomb = gzip_bomb(300 * MIB) if any(c[2] is c_gzip_bomb for c in cases) else b""
    # A few workers, each with servers of its own: most of a case's time is a module's start and its waiting.
    with ControllerForks(module_env()) as Context.forks:
        done = [found for group in run_groups([[c] for c in cases], run_case, Context, WORKERS) for found in group]
    rows = [row for found in done for row in found[0]]
    tracebacks, leaks = sum(found[1] for found in done), sum(found[2] for found in done)
    failed = sum(1 for row in rows if row[5] != "ok")
    print(table(["class", "case", "path", "s", "MB", "outcome", "module says"], rows))
    classes = sorted({c[0] for c in cases})
    by_environment = sum(1 for row in rows if row[2] == TASK_ENV)
    print("hostile: %d cases in %d classes on the %s and %s paths, %d of them also with their environment as the "
          "task's on the controller: %d case runs, %d passed, %d failed, %d tracebacks, %d leaks (%.0f s)"
          % (len(cases), len(classes), MODULE, CONTROLLER, by_environment, len(rows), len(rows) - failed, failed,
             tracebacks, leaks, time.monotonic() - started))
    for klass in classes:
        mine = [r for r in rows if r[0] == klass]
        print("hostile: class %s: %d cases, %d case runs, %d failed"
              % (klass, len({r[1] for r in mine}), len(mine), sum(1 for r in mine if r[5] != "ok")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

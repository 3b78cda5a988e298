"""Benchmark: one API round trip through the collection's client against simpler clients (on demand, not in CI).

    .venv/bin/python benchmarks/round_trip.py [--runs 5] [--threads 10] [--requests 40] [--latency-ms 50]

Each client sends --requests POSTs from each of --threads threads, in turn with the others, against one sandbox:
a raw socket speaking HTTP/1.1, urllib3, a plain requests session, and the collection's TelnyxClient. Prints
the medians of --runs: milliseconds per round trip (wall / requests per thread) and the client's CPU per request.
What the sandbox's latency leaves to a client is the difference to the raw socket.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from urllib.parse import urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))

import requests
import urllib3

from testkit import Sandbox, collection_tree

API_KEY = "benchmark-key"
PATH = "/billing_groups"


def raw_socket(url, count):
    where = urlsplit(url)

    def work(thread):
        with socket.create_connection((where.hostname, where.port)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            answers = sock.makefile("rb")
            for index in range(count):
                body = json.dumps({"name": "raw-%d-%d" % (thread, index)}).encode()
                sock.sendall(b"POST %s%s HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer %s\r\n"
                             b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                             % (where.path.encode(), PATH.encode(), API_KEY.encode(), len(body), body))
                answers.readline()
                length = 0
                for line in iter(answers.readline, b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                answers.read(length)
    return work


def plain_urllib3(url, count, threads):
    pool = urllib3.PoolManager(maxsize=threads)

    def work(thread):
        for index in range(count):
            pool.request("POST", url + PATH, body=json.dumps({"name": "urllib3-%d-%d" % (thread, index)}),
                         headers={"Authorization": "Bearer " + API_KEY, "Content-Type": "application/json"})
    return work


def plain_requests(url, count, threads):
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=threads))

    def work(thread):
        for index in range(count):
            session.post(url + PATH, json={"name": "requests-%d-%d" % (thread, index)},
                         headers={"Authorization": "Bearer " + API_KEY}, timeout=30).json()
    return work


def collection_client(url, count):
    from ansible_collections.telnyx.account_access.plugins.module_utils._client import TelnyxClient
    client = TelnyxClient(API_KEY, api_url=url)

    def work(thread):
        for index in range(count):
            client.post(PATH, json={"name": "ours-%d-%d" % (thread, index)})
    return work


def timed(work, threads):
    """(wall seconds, CPU seconds) of ``threads`` threads running ``work``."""
    pool = [threading.Thread(target=work, args=(index,)) for index in range(threads)]
    cpu, started = time.process_time(), time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - started, time.process_time() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40, help="per thread")
    parser.add_argument("--latency-ms", type=int, default=50)
    options = parser.parse_args()
    count, threads = options.requests, options.threads
    with tempfile.TemporaryDirectory() as work, Sandbox("--latency-ms", str(options.latency_ms), api_key=API_KEY,
                                                        log_path=os.path.join(work, "sandbox.out")) as sandbox:
        collection_tree(os.path.join(work, "collections"))
        sys.path.insert(0, os.path.join(work, "collections"))
        clients = [("raw socket", lambda: raw_socket(sandbox.url, count)),
                   ("urllib3", lambda: plain_urllib3(sandbox.url, count, threads)),
                   ("requests session", lambda: plain_requests(sandbox.url, count, threads)),
                   ("TelnyxClient", lambda: collection_client(sandbox.url, count))]
        results = {name: [] for name, dummy in clients}
        for dummy in range(options.runs):
            for name, make in clients:
                sandbox.reset()
                wall, cpu = timed(make(), threads)
                if len(sandbox.live("billing_groups")) != count * threads:
                    sys.exit("%s: the sandbox holds %d billing groups, expected %d"
                             % (name, len(sandbox.live("billing_groups")), count * threads))
                results[name].append((wall / count * 1000, cpu / (count * threads) * 1000))
    print("%d threads x %d POSTs, latency %d ms, medians of %d" % (threads, count, options.latency_ms, options.runs))
    print("%-18s %14s %18s" % ("client", "ms per trip", "CPU ms a request"))
    for name, values in results.items():
        trip, cpu = (statistics.median(value[part] for value in values) for part in (0, 1))
        print("%-18s %14.2f %18.3f" % (name, trip, cpu))


if __name__ == "__main__":
    main()

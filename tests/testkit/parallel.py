"""Cases run at once: for suites whose time is spent waiting (Retry-After, delays, timeouts), not computing.

A few worker threads, each with a context of its own (its own sandbox, say), take groups of cases from one
queue; a group's cases run in order in one worker. The threads only wait on child processes and sockets,
so the GIL costs nothing, and the results come back in the order of the groups whatever the workers did.
"""

from __future__ import annotations

import os
import threading

# Enough to overlap the waits on 2 cores without the module runs' CPU crowding each other out.
WORKERS = int(os.environ.get("TESTKIT_WORKERS", "4"))


def run_groups(groups, work, context, workers=WORKERS):
    """work(ctx, case) for every case of every group (a list of lists), spread over `workers` threads.

    context() makes each worker's context, a context manager entered once per worker. Returns one list of
    results per group, in the order given. A worker that raises stops the run: the first error is raised
    again once every worker has ended.
    """
    pending = list(enumerate(groups))
    results = [None] * len(groups)
    errors = []
    lock = threading.Lock()

    def take():
        with lock:
            return None if errors or not pending else pending.pop(0)

    def worker():
        try:
            with context() as ctx:
                while True:
                    taken = take()
                    if taken is None:
                        return
                    index, group = taken
                    results[index] = [work(ctx, case) for case in group]
        except BaseException as exc:  # re-raised in the caller's thread below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=worker, daemon=True) for dummy in range(max(1, min(workers, len(groups))))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results

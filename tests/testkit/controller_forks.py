"""The controller path at the cost Ansible pays for it: one Python imports the action and every module once, then
forks a process per run, as Ansible's strategy loads the action class before it forks its workers. A Python start
with those imports costs about 0.7 s of CPU per run; a fork, a few milliseconds.

    with ControllerForks(module_env()) as forks:
        run_module(name, args, path="controller", command=forks.command(name))

``command(name)`` is a small client (``python controller_forks.py run SOCKET NAME``, no heavy import) that hands the
server its stdin and environment and gives back the run's stdout, stderr and exit code, as on_controller.py's would
be: each run is still a process of its own, with the given environment, stoppable at its timeout. With
``measured=True`` the run also writes ``work_began=`` (CLOCK_MONOTONIC, as it starts) and ``maxrss_kb=`` (its peak
memory, as it ends) on stderr.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


class ControllerForks:
    """The fork server, a context manager; env is its environment (PYTHONPATH names the collection tree)."""

    def __init__(self, env):
        self.env = env
        self.workdir = tempfile.mkdtemp(prefix="controller-forks-")
        self.socket_path = os.path.join(self.workdir, "socket")
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen([sys.executable, __file__, "serve", self.socket_path], env=self.env,
                                        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        if self.process.stdout.readline().strip() != b"ready":
            self.__exit__()
            raise RuntimeError("the controller fork server did not start (see its stderr above)")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stdout.close()
        for name in os.listdir(self.workdir):
            os.unlink(os.path.join(self.workdir, name))
        os.rmdir(self.workdir)

    def command(self, name, measured=False):
        return [sys.executable, __file__, "run" + ("-measured" if measured else ""), self.socket_path, name]


def receive_all(conn):
    chunks = []
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def client(mode, socket_path, name):
    """Hand one run to the server; print its stdout and stderr, end with its exit code."""
    request = {"name": name, "input": sys.stdin.read(), "env": dict(os.environ), "measured": mode == "run-measured"}
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(socket_path)
    conn.sendall(json.dumps(request).encode())
    conn.shutdown(socket.SHUT_WR)
    reply = json.loads(receive_all(conn) or b'{"rc": 1, "stdout": "", "stderr": "the forked run gave no answer"}')
    sys.stdout.write(reply["stdout"])
    sys.stderr.write(reply["stderr"])
    return reply["rc"]


def serve(socket_path):
    """Import everything once, then fork a child per connection; children are reaped by the kernel."""
    import signal  # pylint: disable=import-outside-toplevel
    sys.path.insert(0, HERE)
    import on_controller  # pylint: disable=import-outside-toplevel

    modules = os.path.dirname(on_controller.preload("billing_group")[1].__file__)
    for entry in sorted(os.listdir(modules)):
        if entry.endswith(".py") and entry != "__init__.py":
            on_controller.preload(entry[:-3])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        conn, dummy = listener.accept()
        if os.fork() == 0:
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                child(conn, on_controller)
            finally:
                os._exit(0)  # never back into the server's loop  # pylint: disable=protected-access
        conn.close()


def child(conn, on_controller):
    """One run in a forked process: its environment, stdin and argv set, stdout and stderr to files sent back."""
    import io  # pylint: disable=import-outside-toplevel
    import resource  # pylint: disable=import-outside-toplevel
    import time  # pylint: disable=import-outside-toplevel
    import traceback  # pylint: disable=import-outside-toplevel

    request = json.loads(receive_all(conn))
    os.environ.clear()
    os.environ.update(request["env"])
    outputs = [tempfile.TemporaryFile(), tempfile.TemporaryFile()]
    for fd, output in zip((1, 2), outputs):
        os.dup2(output.fileno(), fd)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0, closefd=False), write_through=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", buffering=0, closefd=False), write_through=True)
    sys.stdin = io.StringIO(request["input"])
    sys.argv = [os.path.join(HERE, "on_controller.py"), request["name"]]
    if request["measured"]:
        sys.stderr.write("work_began=%f\n" % time.monotonic())
    try:
        rc = on_controller.main()
    except SystemExit as end:
        rc = end.code if isinstance(end.code, int) else 1
    except BaseException:  # pylint: disable=broad-except
        traceback.print_exc()  # as Python would print it: the suites count it as a traceback
        rc = 1
    if request["measured"]:
        sys.stderr.write("\nmaxrss_kb=%d\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    texts = []
    for output in outputs:
        output.seek(0)
        texts.append(output.read().decode("utf-8", "replace"))
    try:
        conn.sendall(json.dumps({"rc": rc, "stdout": texts[0], "stderr": texts[1]}).encode())
    except OSError:
        pass  # the client was stopped at its timeout: nobody is waiting for the answer


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    sys.exit(client(*sys.argv[1:4]))

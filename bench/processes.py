"""The processes the benchmark measures: the stand-in of Slack (in a process of its own, see
``bench.standin_process``), a real ``leakbot serve`` and a bare Bolt app, each on a loopback
port of its own.

``leakbot serve`` runs as a subprocess exactly as an operator starts it, so what is measured is
the product, not a test harness; the bare app runs the same way, behind the same server.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.standin_process import StandInProcess
from leakbot.demo.world import ANNOUNCE, GROUPS, PEOPLE, SIGNING_SECRET
from leakbot.devslack import SlackRequester
from leakbot.loading.paths import bundled_example_config

HOST = "127.0.0.1"
#: WSGI threads of the bare app. A Bolt app run as Bolt runs listeners by default holds each
#: request's thread for at least Bolt's 10 ms look for ``ack()``, so with fewer threads its
#: requests wait for one (measured under the benchmark's load: p50 52 ms with 4, 26 ms with
#: 8, 14 ms with 16). ``leakbot serve`` runs with its own default
#: (``leakbot.cli.DEFAULT_THREADS``), as it is shipped.
SERVER_THREADS = 16
TIMEZONE = "Asia/Shanghai"
REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_standin() -> StandInProcess:
    """The stand-in, in a process of its own, with the bundled example config's people, groups
    and announce channel."""
    return StandInProcess(users=PEOPLE, usergroups=GROUPS, channels=[ANNOUNCE])


@dataclass
class Server:
    """A server subprocess and a signed-request client for it."""

    process: subprocess.Popen[bytes]
    url: str
    slack: SlackRequester
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    parts = url.removeprefix("http://")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the server exited with {process.returncode}:\n{tail}")
        connection = http.client.HTTPConnection(parts, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    raise TimeoutError(f"no healthy server at {url} after {timeout:.0f} s")


def _spawn(
    argv: list[str], env: dict[str, str], log: Path, standin: StandInProcess, port: int
) -> Server:
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    try:
        wait_healthy(url, process, log, timeout=60)
    except BaseException:
        process.kill()
        process.wait()
        raise
    # the handle on the stand-in's process gives its ids as ``identity``; it hands out
    # trigger ids and response_urls, and checks each acknowledgement, as the stand-in does
    slack = SlackRequester(url, SIGNING_SECRET, standin=standin, identity=standin.identity)
    return Server(process, url, slack, log)


def _stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@contextmanager
def leakbot_serve(
    standin: StandInProcess, workdir: Path, *, scheduler: bool = True
) -> Iterator[Server]:
    """``leakbot serve`` on SQLite in ``workdir``, talking to ``standin``."""
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": standin.token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": database_url(workdir),
        "LEAKBOT_CONFIG": str(bundled_example_config()),
        "LEAKBOT_TIMEZONE": TIMEZONE,
    }
    argv = [sys.executable, "-m", "leakbot", "serve", "--host", HOST, "--port", str(port)]
    argv += [] if scheduler else ["--no-scheduler"]  # its own number of threads
    server = _spawn(argv, env, workdir / "leakbot-serve.log", standin, port)
    try:
        yield server
    finally:
        _stop(server)


@contextmanager
def bare_bolt(standin: StandInProcess, workdir: Path) -> Iterator[Server]:
    """The bare Bolt app of ``bench.bare`` behind the same WSGI server, on ``SERVER_THREADS``."""
    port = free_port()
    argv = [sys.executable, "-m", "bench.bare", "--port", str(port)]
    argv += ["--threads", str(SERVER_THREADS), "--api-url", standin.api_url]
    env = {**os.environ, "BENCH_BOT_TOKEN": standin.token, "BENCH_SIGNING_SECRET": SIGNING_SECRET}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    server = _spawn(argv, env, workdir / "bare-bolt.log", standin, port)
    try:
        yield server
    finally:
        _stop(server)


def database_url(workdir: Path) -> str:
    return f"sqlite:///{workdir / 'leakbot.db'}"

"""A real ``leakbot serve`` process pointed at the stand-in, for the crash and outage tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from leakbot.devslack import SlackStandIn
from leakbot.loading.paths import bundled_example_config

SECRET = "recovery-signing-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Serve:
    """One ``leakbot serve`` process pointed at the stand-in."""

    def __init__(
        self,
        standin: SlackStandIn,
        db_url: str,
        tmp: Path,
        env: Mapping[str, str] | None = None,
        *,
        args: Sequence[str] = (),
        secret: str = SECRET,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LEAKBOT_"))}
        base.update(
            SLACK_BOT_TOKEN=standin.token,
            SLACK_SIGNING_SECRET=secret,
            SLACK_API_URL=standin.api_url,
            DATABASE_URL=db_url,
            LEAKBOT_CONFIG=str(bundled_example_config()),
            LEAKBOT_OUTBOX_LEASE="5",
        )
        base.update(env or {})
        self.env, self.tmp, self.args = base, tmp, list(args)
        self.proc: subprocess.Popen[bytes] | None = None
        self.logs: list[Path] = []

    def start(self) -> Serve:
        path = self.tmp / f"serve-{time.monotonic_ns()}.log"
        self.logs.append(path)
        log = open(path, "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "leakbot",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *self.args,
            ],
            env=self.env,
            cwd=self.tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self.healthy, 60, "leakbot serve to answer /healthz")
        return self

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    def health(self) -> dict[str, Any]:
        """``/healthz``'s body (whatever its status)."""
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                return dict(json.loads(r.read()))
        except urllib.error.HTTPError as e:
            return dict(json.loads(e.read()))

    def children(self) -> list[int]:
        """The processes ``leakbot serve`` started (its worker process)."""
        assert self.proc is not None
        found: list[int] = []
        for task in Path(f"/proc/{self.proc.pid}/task").glob("*"):
            try:
                found += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue  # a thread that ended meanwhile
        return sorted(found)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    @property
    def log(self) -> Path:
        """The log of the latest start."""
        return self.logs[-1]

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())

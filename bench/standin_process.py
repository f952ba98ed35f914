"""The stand-in of Slack in a process of its own, and the benchmark's handle on it.

Real Slack runs elsewhere. Run as threads in the benchmark's process, the stand-in's handlers
(answering leakbot's worker: ``views.open`` with a large modal checked against Block Kit rules,
``response_url`` posts) would take Python's GIL from the client threads that time the
requests, and so add to leakbot's measured latency what the bare app, which makes no Web API
calls, does not pay. So a ``multiprocessing`` manager serves one ``SlackStandIn`` in a child
process. Both apps call it over loopback HTTP as before; the benchmark asks it, over the
manager's connection, for plain data only (ids, counts, answers, views as dicts), and hands
it each acknowledgement to check against Block Kit rules there, off the timing process.

Its HTTP server runs at the lowest processor priority (``nice`` 19): on a machine with few
cores, answering leakbot's Web API calls (each parsed, checked against the method's published
arguments and Block Kit's rules, and recorded) took more processor time than leakbot's worker
making them, all of it beside leakbot's acknowledgements and none beside the bare app's, which
makes no calls. Real Slack does that work on its own machines; at the lowest priority the
stand-in takes only the processor time the servers and the clients leave. Its answers can then
come later than its latency, never sooner, and a trigger it reads late it still counts as
expired, so nothing leakbot is measured on gets easier. The threads that answer the benchmark
itself (trigger ids, acknowledgements to check) stay at normal priority: they serve the clients
of both servers alike.

The process is spawned, not forked (the benchmark's process has threads by then), so a script
that starts it needs the ``if __name__ == "__main__":`` guard, as ``python -m bench.run`` has.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from multiprocessing.managers import BaseManager
from types import TracebackType
from typing import Any, Self

from leakbot.devslack import Call, SlackStandIn, User
from leakbot.devslack.payloads import Identity
from leakbot.devslack.workspace import ResponsePost


class Served:
    """Lives in the stand-in's process: the stand-in, and what the benchmark asks of it,
    answered with plain data (every method's arguments and result cross the process line)."""

    def __init__(
        self,
        users: Iterable[User],
        usergroups: Mapping[str, Sequence[str]],
        channels: Iterable[tuple[str, str]],
    ) -> None:
        self._standin = _started_low(SlackStandIn(users=users, usergroups=usergroups))
        for name, channel_id in channels:
            self._standin.add_channel(name, channel_id=channel_id)

    def description(self) -> dict[str, str]:
        standin, ws = self._standin, self._standin.workspace
        return {
            "token": standin.token,
            "api_url": standin.api_url,
            "team_id": ws.team_id,
            "app_id": ws.app_id,
            "bot_id": ws.bot_id,
            "bot_user_id": ws.bot_user_id,
        }

    def latency(self) -> float:
        return self._standin.latency

    def set_latency(self, seconds: float) -> None:
        self._standin.latency = seconds

    def answered(self, method: str | None) -> list[Call]:
        """Every call (to ``method``, unless None), oldest first, its arguments left out (the
        modals of ``views.open`` are large, and the benchmark reads none)."""
        return [
            replace(c, args={}) for c in self._standin.calls if method is None or c.method == method
        ]

    def responses(self) -> list[ResponsePost]:
        return self._standin.responses

    def views_for(
        self, user: str | None, callback_id: str, exclude: Iterable[str]
    ) -> list[dict[str, Any]]:
        return self._standin.views_for(user, callback_id, exclude=set(exclude))

    def view_ids(self) -> list[str]:
        ws = self._standin.workspace
        with ws.lock:
            return list(ws.views)

    def close_view(self, view_id: str) -> None:
        self._standin.close_view(view_id)

    def new_trigger_id(self, user_id: str | None) -> str:
        return self._standin.new_trigger_id(user_id)

    def new_response_url(self, user_id: str | None, channel_id: str | None) -> str:
        return self._standin.new_response_url(user_id, channel_id)

    def check_acknowledgement(
        self, request_type: str, body: bytes | str | None, submitted: Mapping[str, Any] | None
    ) -> list[str]:
        return self._standin.check_acknowledgement(request_type, body, submitted)

    def stop(self) -> None:
        self._standin.stop()


#: The stand-in's HTTP server's priority (see the module's docstring).
NICE = 19


def _started_low(standin: SlackStandIn) -> SlackStandIn:
    """``standin`` started from a thread at priority ``NICE``: a thread's priority is its own on
    Linux, and the threads it starts inherit it, so the HTTP server and every thread it starts
    for a call run at ``NICE``, and the manager's threads, which start none of them, do not."""
    failed: list[BaseException] = []

    def start() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
            standin.start()
        except BaseException as e:  # handed to the caller below
            failed.append(e)

    starter = threading.Thread(target=start, name="standin-start")
    starter.start()
    starter.join()
    if failed:
        raise failed[0]
    return standin


class _Manager(BaseManager):
    pass


_Manager.register("Served", Served)


class StandInProcess:
    """A ``SlackStandIn`` running in a child process, seen from the benchmark: the attributes
    and methods the benchmark and ``SlackRequester`` use, each a call to that process. Safe to
    share between threads (each thread gets its own connection to the process)."""

    def __init__(
        self,
        users: Iterable[User] = (),
        usergroups: Mapping[str, Sequence[str]] | None = None,
        channels: Iterable[tuple[str, str]] = (),
    ) -> None:
        self._manager = _Manager(ctx=multiprocessing.get_context("spawn"))
        self._manager.start()
        try:
            self._remote: Any = self._manager.Served(  # type: ignore[attr-defined]
                list(users), dict(usergroups or {}), list(channels)
            )
            about = self._remote.description()
        except BaseException:
            self._manager.shutdown()
            raise
        self.token: str = about["token"]
        self.api_url: str = about["api_url"]
        self.team_id: str = about["team_id"]
        self.bot_user_id: str = about["bot_user_id"]
        #: how requests from this workspace name it (``SlackRequester(identity=…)``)
        self.identity = Identity(
            team_id=about["team_id"],
            api_app_id=about["app_id"],
            bot_user_id=about["bot_user_id"],
            bot_id=about["bot_id"],
        )

    @property
    def pid(self) -> int | None:
        process = getattr(self._manager, "_process", None)
        return process.pid if process is not None else None

    # -- lifecycle ---------------------------------------------------------------------------

    def stop(self) -> None:
        try:
            self._remote.stop()
        finally:
            self._manager.shutdown()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- faults ------------------------------------------------------------------------------

    @property
    def latency(self) -> float:
        return float(self._remote.latency())

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._remote.set_latency(seconds)

    # -- what Slack hands out with an interaction (``SlackRequester`` asks for these) ---------

    def new_trigger_id(self, user_id: str | None = None) -> str:
        return str(self._remote.new_trigger_id(user_id))

    def new_response_url(self, user_id: str | None = None, channel_id: str | None = None) -> str:
        return str(self._remote.new_response_url(user_id, channel_id))

    def check_acknowledgement(
        self,
        request_type: str,
        body: bytes | str | None,
        submitted: Mapping[str, Any] | None = None,
    ) -> list[str]:
        """Checked in the stand-in's process (``SlackStandIn.check_acknowledgement``)."""
        return list(self._remote.check_acknowledgement(request_type, body, submitted))

    # -- queries -----------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every call answered, oldest first, without its arguments."""
        return list(self._remote.answered(None))

    def calls_to(self, method: str) -> list[Call]:
        return list(self._remote.answered(method))

    @property
    def responses(self) -> list[ResponsePost]:
        return list(self._remote.responses())

    def views_for(
        self, user: str | None, callback_id: str, exclude: Iterable[str] = frozenset()
    ) -> list[dict[str, Any]]:
        """As ``SlackStandIn.views_for``: open modals, oldest first, as Slack returned them."""
        return list(self._remote.views_for(user, callback_id, list(exclude)))

    def view_ids(self) -> set[str]:
        """The ids of every view opened so far, closed or not."""
        return set(self._remote.view_ids())

    def close_view(self, view_id: str) -> None:
        self._remote.close_view(view_id)

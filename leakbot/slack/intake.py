"""Where a Slack request that asks for something lands: recorded, acknowledged, carried out.

A listener calls ``Intake.accept(ack, body, kind, args)``: the request's intent is written to
the inbox (on the request-path engine, with the other requests that arrived meanwhile in one
statement: ``leakbot.slack.recording``), already claimed for the worker it is handed to; then
the request is acknowledged (by the thread that wrote its batch, the moment it is committed)
and answered when its listener returns (on the request's own thread); then that worker (this
process's, or the worker process of ``leakbot serve``) carries the intent out with the
function registered for its kind (``Intake.carries(kind)``). Nothing acknowledged is lost: an
intent a process did not finish (killed, database gone meanwhile) is carried out by the next
claim once its hold runs out — at start, every few seconds by the worker, and by the
scheduler's sweep.

Each request is recorded once. Its key comes from Slack's ids in the body, which HTTP and
Socket Mode deliver alike (``request_key``): a replay of the same signed request, Slack's retry
of an event (``X-Slack-Retry-Num``, Socket Mode's ``retry_attempt``) and a second delivery over
the other transport all find the key taken, are acknowledged, and change nothing.

When the intent cannot be recorded (database down, disk full, locked past the request path's
timeout) the exception reaches the app's error handler, which answers the person in words that
nothing was done (``leakbot.slack.unavailable``); nothing is acknowledged silently.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from slack_bolt import Ack
from slack_sdk.errors import SlackApiError, SlackRequestError

from leakbot.domain.errors import Refused
from leakbot.services.deps import Deps
from leakbot.services.exactly_once import AlreadySettled, carrying
from leakbot.services.storage import Intent
from leakbot.slack.recording import Onward, Recorder
from leakbot.slack.settling import Settling

log = logging.getLogger(__name__)

#: A trigger id lets one modal open within 3 seconds of the click; an intent carried out later
#: (after a crash) tells the person to click again instead.
TRIGGER_SECONDS = 2.5
#: Settled intents are kept this long (a replay is refused by the signature check after 5
#: minutes; the day is for people reading the table).
KEEP = timedelta(days=1)
#: How often settled intents older than ``KEEP`` are deleted.
PURGE_EVERY = timedelta(minutes=10)
#: How long an intent waits after the database failed while carrying it out.
RETRY_AFTER = timedelta(seconds=5)
#: An intent is recorded already claimed by the worker it is handed to, for this long (or the
#: outbox lease, if shorter): if that worker dies first, another carries it out after this.
HANDOFF_SECONDS = 15

Tell = Callable[[dict[str, Any], str], None]
#: Runs a function on the worker's trigger lane (used by ``drain`` for trigger-bound intents).
Lane = Callable[[Callable[[], None]], object]


@dataclass(frozen=True)
class Asked:
    """One intent, as its carrier sees it."""

    intent_id: int
    kind: str
    user: str
    args: dict[str, Any]
    #: where to answer the person: ``user``, ``response_url``, ``channel``
    reply: dict[str, Any]
    trigger_id: str | None
    #: whether ``trigger_id`` can still open a modal
    fresh: bool


Carrier = Callable[[Asked], None]


def request_key(body: dict[str, Any]) -> str:
    """The same for every delivery of one Slack request, over HTTP or Socket Mode.

    Slack gives every interaction a fresh ``trigger_id`` (and every event an ``event_id``);
    a click is also named by its ``action_ts``. A body without those ids is named by its hash.
    """
    kind = str(body.get("type") or ("command" if body.get("command") else "request"))
    trigger = body.get("trigger_id")
    if kind == "block_actions" and trigger:
        actions = body.get("actions") or [{}]
        first = actions[0] if isinstance(actions[0], dict) else {}
        return _cut(f"action:{trigger}:{first.get('action_ts', '')}")
    if kind == "view_submission" and trigger:
        return _cut(f"view:{(body.get('view') or {}).get('id', '')}:{trigger}")
    if kind == "command" and trigger:
        return _cut(f"command:{trigger}")
    if kind == "event_callback" and body.get("event_id"):
        return _cut(f"event:{body['event_id']}")
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return f"body:{hashlib.sha256(canonical.encode()).hexdigest()}"


def _cut(key: str) -> str:
    """Keys fit the column; an over-long one (a hand-made request) is hashed."""
    return key if len(key) <= 200 else f"hash:{hashlib.sha256(key.encode()).hexdigest()}"


def reply_of(body: dict[str, Any]) -> dict[str, Any]:
    """Where an answer to the person who sent ``body`` goes."""
    user = body.get("user")
    channel = body.get("channel")
    return {
        "user": (user.get("id") if isinstance(user, dict) else None) or body.get("user_id"),
        "response_url": body.get("response_url")
        or next(iter(u.get("response_url") for u in body.get("response_urls") or []), None),
        "channel": (channel.get("id") if isinstance(channel, dict) else None)
        or body.get("channel_id"),
    }


class Intake:
    def __init__(
        self,
        deps: Deps,
        quick: Deps,
        hand: Onward,
        tell: Tell,
        failed_text: Callable[[], str],
        trigger_lane: Lane | None = None,
    ) -> None:
        self._deps = deps  # carrying out: the background engine
        self._quick = quick  # recording: the request path's engine, with short timeouts
        self._tell = tell
        self._failed_text = failed_text
        self._trigger_lane = trigger_lane
        self._carriers: dict[str, Carrier] = {}
        self._trigger_bound: set[str] = set()
        self._purged_at: datetime | None = None
        self._settling = Settling(deps)
        held = timedelta(seconds=min(HANDOFF_SECONDS, quick.outbox_lease_seconds))
        self._recorder = Recorder(quick, held, hand)

    # --- registering and accepting -------------------------------------------------------
    def carries(self, kind: str, *, trigger: bool = False) -> Callable[[Carrier], Carrier]:
        """Register the function that carries out intents of ``kind``. It is given an
        ``Asked``; it makes at most one write transaction (a use case), whose commit also
        settles the intent; a ``Refused`` it raises is told to the person. With ``trigger``,
        the carrier may open a modal on the request's trigger id: its intents go first."""

        def register(fn: Carrier) -> Carrier:
            if kind in self._carriers:
                raise ValueError(f"two carriers for {kind}")
            self._carriers[kind] = fn
            if trigger:
                self._trigger_bound.add(kind)
            return fn

        return register

    def accept(
        self,
        ack: Ack,
        body: dict[str, Any],
        kind: str,
        args: dict[str, Any],
        answer: Callable[[], object] | None = None,
    ) -> bool:
        """Record the intent, then acknowledge (with ``answer`` when given, else ``ack()``, called
        by the thread that wrote its batch once it is committed), then carry it out off this
        thread. False when this request was recorded before: it is acknowledged the same way
        and nothing else happens.

        A database failure propagates before anything is acknowledged, to the app's error
        handler, which tells the person nothing was done.
        """
        if kind not in self._carriers:
            raise ValueError(f"no carrier for {kind}")
        reply = reply_of(body)
        payload = {"args": args, "reply": reply, "trigger_id": body.get("trigger_id")}
        trigger_bound = kind in self._trigger_bound and bool(body.get("trigger_id"))
        # acknowledged, then handed over, by whichever thread writes its batch, as soon as it
        # is committed
        intent_id = self._recorder.record(
            request_key(body), kind, payload, answer or ack, trigger_bound
        )
        if intent_id is None:
            log.info("%s request seen before; nothing done again", kind)
            return False
        return True

    # --- carrying out --------------------------------------------------------------------
    def carry_out(self, intent_id: int) -> None:
        """Carry out one intent just recorded by ``accept`` (which claimed it for whoever it
        was handed to), if it is still pending."""
        intent = self._deps.intents.pending(intent_id)
        if intent is not None:
            self._run(intent)

    def drain(self, limit: int = 20) -> int:
        """Carry out what nobody holds: intents a dead process left, or that waited for the
        database. Returns how many were claimed."""
        deps = self._deps
        now = deps.clock.now()
        if self._purged_at is None or now - self._purged_at > PURGE_EVERY:
            with deps.uow() as uow:
                uow.inbox.purge(now - KEEP)
                uow.commit()
            self._purged_at = now
        with deps.read() as uow:
            if not uow.inbox.any_due(now):
                return 0
        total = 0
        while True:
            with deps.uow() as uow:
                intents = uow.inbox.claim_due(deps.clock.now(), deps.outbox_lease_seconds, limit)
                uow.commit()
            for intent in intents:
                if self._trigger_lane is not None and self._urgent(intent):
                    # a modal still to open: not behind the others on this thread
                    self._trigger_lane(partial(self._run, intent))
                else:
                    self._run(intent)
            total += len(intents)
            if len(intents) < limit:
                if total:
                    log.info("inbox: %s request(s) nobody held carried out", total)
                return total

    def _urgent(self, intent: Intent) -> bool:
        return intent.kind in self._trigger_bound and _asked(intent, self._deps).fresh

    def _run(self, intent: Intent) -> None:
        deps = self._deps
        carrier = self._carriers.get(intent.kind)
        asked = _asked(intent, deps)
        if carrier is None:
            self._settle(intent, "failed", f"no carrier for {intent.kind}")
            return
        try:
            with carrying(intent.id) as state:
                carrier(asked)
        except AlreadySettled:
            return  # another process carried it out meanwhile: its outcome stands
        except Refused as e:
            if self._settle(intent, "done", "refused"):
                self._tell(asked.reply, f":no_entry: {e.reason}")
            return
        except self._deps.storage_errors as e:
            # The database went away after the intent was recorded: it stays owed.
            log.warning(
                "inbox %s %s: database error (%s); will retry",
                intent.id,
                intent.kind,
                type(e).__name__,
            )
            try:
                with deps.uow() as uow:
                    uow.inbox.release(intent.id, type(e).__name__, deps.clock.now() + RETRY_AFTER)
                    uow.commit()
            except self._deps.storage_errors:
                pass  # the lease runs out on its own
            return
        except (SlackApiError, SlackRequestError, OSError) as e:
            log.warning(
                "inbox %s %s: Slack call failed (%s)", intent.id, intent.kind, type(e).__name__
            )
            self._settle(intent, "failed", type(e).__name__)
            return
        except Exception as e:  # one bad intent must not stop the others
            log.error(
                "inbox %s %s failed: %s", intent.id, intent.kind, type(e).__name__, exc_info=e
            )
            if self._settle(intent, "failed", type(e).__name__):
                self._tell(asked.reply, self._failed_text())
            return
        if not state.settled:
            self._settle(intent, "done")

    def _settle(self, intent: Intent, status: str, error: str | None = None) -> bool:
        try:
            return self._settling.settle(intent.id, status, error)
        except self._deps.storage_errors:
            log.warning("inbox %s: could not be settled now; the lease runs out", intent.id)
            return False


def _asked(intent: Intent, deps: Deps) -> Asked:
    payload = intent.payload
    reply = dict(payload.get("reply") or {})
    age = (deps.clock.now() - intent.created_at).total_seconds()
    return Asked(
        intent_id=intent.id,
        kind=intent.kind,
        user=str(reply.get("user") or ""),
        args=dict(payload.get("args") or {}),
        reply=reply,
        trigger_id=payload.get("trigger_id"),
        fresh=intent.attempts <= 1 and age < TRIGGER_SECONDS,
    )

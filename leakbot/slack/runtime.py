"""What listeners share: the use cases' dependencies, the Web API client, the worker and the
intake that records each request before it is acknowledged.

In one process (tests, ``leakbot demo``, ``leakbot scheduler``) the runtime's own worker
carries out what the intake records. In ``leakbot serve`` and ``leakbot socket`` the process
that acknowledges has no worker: a ``Handoff`` passes each recorded intent (and every other
call Slack is owed) to the worker process, and this process makes no Web API call at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.webhook import WebhookClient

from leakbot.domain.errors import Refused
from leakbot.services.deps import Deps
from leakbot.slack.intake import Asked, Carrier, Intake, reply_of
from leakbot.slack.worker import SlackWorker

log = logging.getLogger(__name__)

FAILED = (
    ":warning: leakbot could not do this: something went wrong on its side and it was not "
    "done. Please try again; if it keeps failing, tell whoever runs leakbot."
)
EXPIRED = (
    "leakbot could not open the form you asked for in time (Slack allows 3 seconds, and "
    "leakbot was busy or restarting). Nothing was changed; please click again."
)


TELL = "tell"


class Handoff(Protocol):
    """How the acknowledging process passes work on to the worker process."""

    def carry(self, handed: Sequence[tuple[int, bool]]) -> None:
        """Carry out these recorded intents now (each: its id, whether it is bound to a
        trigger; those come first)."""

    def kick(self) -> None:
        """Owed outbox work was committed: perform it now."""

    def say(self, reply: dict[str, Any], text: str, blocks: list[Any] | None = None) -> None:
        """Tell one person something now, unrecorded (when the database cannot take it)."""


@dataclass
class SlackRuntime:
    deps: Deps
    client: WebClient
    #: the worker of this process; None when a worker process does the work (``handoff``)
    worker: SlackWorker | None
    #: the same dependencies on the request path's engine (short timeouts), for the database
    #: work done before an acknowledgement
    quick: Deps | None = None
    #: the report modal, built on first use (it depends only on the config)
    report_view: dict[str, Any] | None = None
    handoff: Handoff | None = None
    #: ends the User-Agent of response_url posts, as of the client's calls
    agent: str | None = None
    intake: Intake = field(init=False)

    def __post_init__(self) -> None:
        self.quick = self.quick or self.deps
        worker = self.worker
        self.intake = Intake(
            self.deps,
            self.quick,
            self.carry,
            self._tell_carried if worker is not None else self.tell_to,
            lambda: FAILED,
            trigger_lane=worker.submit_trigger_bound if worker is not None else None,
        )
        if worker is not None:
            worker.inbox_drain = self.intake.drain
        self.intake.carries(TELL)(self._tell_recorded)

    def carry(self, handed: Sequence[tuple[int, bool]]) -> None:
        """Have recorded intents carried out now (each: its id, whether it is bound to a
        trigger): by this process's worker, else by the worker process."""
        if self.handoff is not None:
            self.handoff.carry(handed)
            return
        assert self.worker is not None
        for intent_id, trigger_bound in handed:
            if trigger_bound:
                self.worker.submit_trigger_bound(self.intake.carry_out, intent_id)
            else:
                self.worker.submit(self.intake.carry_out, intent_id)

    # --- the intake ----------------------------------------------------------------------
    def carries(self, kind: str, *, trigger: bool = False) -> Callable[[Carrier], Carrier]:
        """Register a carrier (``Intake.carries``); ``trigger``: it may open a modal."""
        return self.intake.carries(kind, trigger=trigger)

    def accept(
        self,
        ack: Any,
        body: dict[str, Any],
        kind: str,
        args: dict[str, Any],
        answer: Callable[[], object] | None = None,
    ) -> bool:
        return self.intake.accept(ack, body, kind, args, answer)

    def open_modal(self, asked: Asked, view: Any) -> None:
        """Open a modal on the request's trigger id, if it is still usable."""
        if not asked.fresh or not asked.trigger_id:
            raise Refused(EXPIRED)
        self.client.views_open(trigger_id=asked.trigger_id, view=view)

    def kick(self) -> None:
        """Owed outbox work was committed: have it performed now."""
        if self.handoff is not None:
            self.handoff.kick()
        elif self.worker is not None:
            self.worker.kick()

    # --- telling one person --------------------------------------------------------------
    def refuse(self, ack: Any, body: dict[str, Any], text: str) -> None:
        """Acknowledge, then tell the person ``text`` privately: recorded like any request,
        so the worker sends it (or, if the database cannot take it, the person is told so)."""
        self.accept(ack, body, TELL, {"text": text})

    def _tell_recorded(self, asked: Asked) -> None:
        text = str(asked.args.get("text") or "")
        self._tell_now(asked.reply, text, asked.args.get("blocks"))

    def tell(self, body: dict[str, Any], text: str, blocks: list[Any] | None = None) -> None:
        """A message only the person who acted sees, sent after the acknowledgement.

        Uses the request's ``response_url`` when it has one (it works in any channel, even one
        the bot is not in), else an ephemeral message in the channel, else a DM.
        """
        self.tell_to(reply_of(body), text, blocks)

    def tell_to(self, reply: dict[str, Any], text: str, blocks: list[Any] | None = None) -> None:
        """The same, to a request's ``reply`` (``leakbot.slack.intake.reply_of``). Without a
        worker here, the worker process sends it."""
        if self.handoff is not None:
            self.handoff.say(reply, text, blocks)
            return
        assert self.worker is not None
        self.worker.submit(self._tell_now, reply, text, blocks)

    def _tell_carried(self, reply: dict[str, Any], text: str) -> None:
        """What carrying out an intent tells its person (a refusal, a failure): sent by the
        thread that carried it, at once, rather than queued behind other work; a Slack error is
        logged, as the worker's own threads log theirs."""
        try:
            self._tell_now(reply, text, None)
        except (SlackApiError, SlackRequestError, OSError) as e:
            log.warning("telling the person failed: %s", type(e).__name__)

    def _tell_now(self, reply: dict[str, Any], text: str, blocks: list[Any] | None) -> None:
        self._tell(reply.get("response_url"), reply.get("channel"), reply.get("user"), text, blocks)

    def _tell(
        self,
        response_url: str | None,
        channel: str | None,
        user: str | None,
        text: str,
        blocks: list[Any] | None,
    ) -> None:
        if response_url:
            WebhookClient(response_url, user_agent_suffix=self.agent).send(
                text=text, blocks=blocks, response_type="ephemeral", replace_original=False
            )
        elif channel and user:
            self.client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
        elif user:
            self.client.chat_postMessage(channel=user, text=text, blocks=blocks)

"""What listeners share: the use cases' dependencies, the Web API client, the worker and the
intake that records each request before it is acknowledged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from leakbot.domain.errors import Refused
from leakbot.services.deps import Deps
from leakbot.slack.intake import Asked, Carrier, Intake
from leakbot.slack.worker import SlackWorker

FAILED = (
    ":warning: leakbot could not do this: something went wrong on its side and it was not "
    "done. Please try again; if it keeps failing, tell whoever runs leakbot."
)
EXPIRED = (
    "leakbot was restarted before it could open the form you asked for. "
    "Nothing was changed; please click again."
)


@dataclass
class SlackRuntime:
    deps: Deps
    client: WebClient
    worker: SlackWorker
    #: the same dependencies on the request path's engine (short timeouts), for the database
    #: work done before an acknowledgement
    quick: Deps | None = None
    #: the report modal, built on first use (it depends only on the config)
    report_view: dict[str, Any] | None = None
    intake: Intake = field(init=False)

    def __post_init__(self) -> None:
        self.quick = self.quick or self.deps
        self.intake = Intake(
            self.deps, self.quick, self.worker.submit, self.tell_to, lambda: FAILED
        )
        self.worker.inbox_drain = self.intake.drain

    # --- the intake ----------------------------------------------------------------------
    def carries(self, kind: str) -> Callable[[Carrier], Carrier]:
        return self.intake.carries(kind)

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

    # --- telling one person --------------------------------------------------------------
    def tell(self, body: dict[str, Any], text: str, blocks: list[Any] | None = None) -> None:
        """A message only the person who acted sees, sent after the acknowledgement.

        Uses the request's ``response_url`` when it has one (it works in any channel, even one
        the bot is not in), else an ephemeral message in the channel, else a DM.
        """
        self.worker.submit(self._tell_from, body, text, blocks)

    def tell_to(self, reply: dict[str, Any], text: str, blocks: list[Any] | None = None) -> None:
        """The same, to a request's ``reply`` (``leakbot.slack.intake.reply_of``)."""
        self.worker.submit(
            self._tell,
            reply.get("response_url"),
            reply.get("channel"),
            reply.get("user"),
            text,
            blocks,
        )

    def _tell_from(self, body: dict[str, Any], text: str, blocks: list[Any] | None) -> None:
        user = (body.get("user") or {}).get("id") or body.get("user_id")
        response_url = body.get("response_url")
        channel = (body.get("channel") or {}).get("id") or body.get("channel_id")
        self._tell(response_url, channel, user, text, blocks)

    def _tell(
        self,
        response_url: str | None,
        channel: str | None,
        user: str | None,
        text: str,
        blocks: list[Any] | None,
    ) -> None:
        if response_url:
            WebhookClient(response_url).send(
                text=text, blocks=blocks, response_type="ephemeral", replace_original=False
            )
        elif channel and user:
            self.client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
        elif user:
            self.client.chat_postMessage(channel=user, text=text, blocks=blocks)

"""What listeners share: the use cases' dependencies, the Web API client and the worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from leakbot.domain.errors import Refused
from leakbot.services.deps import Deps
from leakbot.slack.blocks.messages import refusal
from leakbot.slack.worker import SlackWorker


@dataclass
class SlackRuntime:
    deps: Deps
    client: WebClient
    worker: SlackWorker
    #: the report modal, built on first use (it depends only on the config)
    report_view: dict[str, Any] | None = None

    def after_ack(self, body: dict[str, Any], work: Callable[[], object]) -> None:
        """Run ``work`` off Bolt's listener threads, once the request is acknowledged, so a
        busy moment never delays the next acknowledgement; a refusal is told to the person."""

        def run() -> None:
            try:
                work()
            except Refused as e:
                self._tell_from(body, refusal(e.reason), None)

        self.worker.submit(run)

    def tell(self, body: dict[str, Any], text: str, blocks: list[Any] | None = None) -> None:
        """A message only the person who acted sees, sent after the acknowledgement.

        Uses the request's ``response_url`` when it has one (it works in any channel, even one
        the bot is not in), else an ephemeral message in the channel, else a DM.
        """
        self.worker.submit(self._tell_from, body, text, blocks)

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

"""What listeners share: the use cases' dependencies, the Web API client and the worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from leakbot.services.deps import Deps
from leakbot.slack.worker import SlackWorker


@dataclass
class SlackRuntime:
    deps: Deps
    client: WebClient
    worker: SlackWorker

    def tell(self, body: dict[str, Any], text: str, blocks: list[Any] | None = None) -> None:
        """A message only the person who acted sees, sent after the acknowledgement.

        Uses the request's ``response_url`` when it has one (it works in any channel, even one
        the bot is not in), else an ephemeral message in the channel, else a DM.
        """
        user = (body.get("user") or {}).get("id") or body.get("user_id")
        response_url = body.get("response_url")
        channel = (body.get("channel") or {}).get("id") or body.get("channel_id")
        self.worker.submit(self._tell, response_url, channel, user, text, blocks)

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

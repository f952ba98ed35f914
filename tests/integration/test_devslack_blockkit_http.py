"""Block Kit rules over real HTTP: a real WebClient, a real response_url post and a real Bolt
app's acknowledgements, each breaking a rule, refused as Slack refuses them and recorded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bolt_server import SEC, SECRET, general_standin, serving
from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from leakbot.devslack import SlackRequester, SlackStandIn

TWO_PULLS = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Breach notice*"}},
    {
        "type": "actions",
        "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": t}, "action_id": "pull"}
            for t in ("Word (.docx)", "Markdown")
        ],
    },
]
POINTER = "[json-pointer:/blocks/1/elements/1/action_id]"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with general_standin() as running:
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(base_url=standin.api_url, token=standin.token, timeout=5)


def test_a_message_breaking_a_rule_is_refused_with_invalid_blocks_and_posts_nothing(
    client: WebClient, standin: SlackStandIn
) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C0GENERAL01", text="notices", blocks=TWO_PULLS)

    answer = caught.value.response
    assert answer["error"] == "invalid_blocks"
    (shown,) = answer["response_metadata"]["messages"]
    assert shown.startswith("[ERROR] action_id `pull` is already used") and shown.endswith(POINTER)
    assert standin.messages("C0GENERAL01") == []
    (recorded,) = standin.blockkit_violations
    assert recorded.startswith("chat.postMessage: invalid_blocks: ") and recorded.endswith(POINTER)
    assert recorded in standin.violations
    with pytest.raises(AssertionError, match="already used"):
        standin.assert_clean()


def test_a_view_breaking_a_rule_is_refused_with_invalid_arguments_and_opens_nothing(
    client: WebClient, standin: SlackStandIn
) -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Report a leak of confidential data"},
        "blocks": [],
    }
    with pytest.raises(SlackApiError) as caught:
        client.views_open(trigger_id=standin.new_trigger_id(SEC), view=view)

    assert caught.value.response["error"] == "invalid_arguments"
    assert caught.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    assert standin.open_views == []


def test_a_response_url_post_breaking_a_rule_gets_400_invalid_blocks_and_shows_nothing(
    standin: SlackStandIn,
) -> None:
    url = standin.new_response_url(SEC, "C0GENERAL01")
    answer = WebhookClient(url).send(text="notices", blocks=TWO_PULLS)

    assert (answer.status_code, answer.body) == (400, "invalid_blocks")
    assert standin.ephemerals(SEC) == []
    (recorded,) = standin.blockkit_violations
    assert recorded.startswith("response_url ") and recorded.endswith(POINTER)


@pytest.fixture
def requester(standin: SlackStandIn) -> Iterator[SlackRequester]:
    """A Bolt app whose acknowledgements break Block Kit's rules."""
    client = WebClient(base_url=standin.api_url, token=standin.token)
    app = App(signing_secret=SECRET, client=client, process_before_response=True)

    @app.command("/leak")
    def leak(ack: Ack) -> None:
        ack(text="notices", blocks=TWO_PULLS)

    @app.view("report")
    def report(ack: Ack) -> None:
        too_long = {"type": "plain_text", "text": "Thank you for reporting this"}
        ack(response_action="update", view={"type": "modal", "title": too_long, "blocks": []})

    with serving(app, standin, threads=False) as requester:
        yield requester


def test_a_slash_command_answer_breaking_a_rule_is_recorded(
    requester: SlackRequester, standin: SlackStandIn
) -> None:
    reply = requester.slash_command(SEC, "notices")

    assert reply.status == 200
    (recorded,) = standin.blockkit_violations
    assert recorded.startswith("acknowledgement of slash_commands: ")
    assert recorded.endswith(POINTER)


def test_a_response_action_view_breaking_a_rule_is_recorded(
    requester: SlackRequester, standin: SlackStandIn
) -> None:
    reply = requester.view_submission(SEC, "report", {})

    assert reply.status == 200
    assert standin.blockkit_violations == [
        "acknowledgement of view_submission: must be less than 25 characters "
        "[json-pointer:/view/title/text]"
    ]

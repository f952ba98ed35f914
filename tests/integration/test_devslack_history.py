"""conversations.history and .replies on the stand-in, with message metadata as Slack keeps
it: checked when posted, returned only with ``include_all_metadata``; and leakbot's
``post_once`` finding an earlier post by its metadata instead of posting again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leakbot.devslack import SlackStandIn
from leakbot.slack.posting import EVENT_TYPE, Once, find, post_once

SEC = "U0SEC00001"
META = {"event_type": "leakbot_effect", "event_payload": {"key": "outbox:7:note"}}


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(users=[SEC]) as running:
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(base_url=standin.api_url, token=standin.token, timeout=5)


@pytest.fixture
def channel(client: WebClient) -> str:
    return str(client.conversations_create(name="leak-1", is_private=True)["channel"]["id"])


def test_metadata_comes_back_only_when_asked_for(client: WebClient, channel: str) -> None:
    client.chat_postMessage(channel=channel, text="hello", metadata=META)

    plain = client.conversations_history(channel=channel)["messages"]
    full = client.conversations_history(channel=channel, include_all_metadata=True)["messages"]

    assert "metadata" not in plain[0]
    assert full[0]["metadata"] == META


@pytest.mark.parametrize(
    ("metadata", "error"),
    [
        ("not json", "invalid_metadata_format"),
        ('["a list"]', "invalid_metadata_format"),
        ({"event_payload": {}}, "invalid_metadata_schema"),
        ({"event_type": "has spaces", "event_payload": {}}, "invalid_metadata_schema"),
        ({"event_type": "ok", "event_payload": "text"}, "invalid_metadata_schema"),
    ],
)
def test_malformed_metadata_is_refused_as_slack_refuses_it(
    client: WebClient, channel: str, metadata: object, error: str
) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel=channel, text="hello", metadata=metadata)  # type: ignore[arg-type]
    assert caught.value.response["error"] == error


def test_history_is_newest_first_without_thread_replies_and_pages(
    client: WebClient, channel: str
) -> None:
    first = client.chat_postMessage(channel=channel, text="one")["ts"]
    client.chat_postMessage(channel=channel, text="reply", thread_ts=first)
    client.chat_postMessage(channel=channel, text="two")
    client.chat_postMessage(channel=channel, text="three")

    page = client.conversations_history(channel=channel, limit=2)
    rest = client.conversations_history(
        channel=channel, limit=2, cursor=page["response_metadata"]["next_cursor"]
    )

    assert [m["text"] for m in page["messages"]] == ["three", "two"]
    assert page["has_more"] is True
    assert [m["text"] for m in rest["messages"]] == ["one"]
    newer = client.conversations_history(channel=channel, oldest=first)["messages"]
    assert [m["text"] for m in newer] == ["three", "two"]


def test_replies_give_the_parent_then_the_thread(client: WebClient, channel: str) -> None:
    parent = client.chat_postMessage(channel=channel, text="checklist")["ts"]
    client.chat_postMessage(channel=channel, text="a", thread_ts=parent, metadata=META)
    client.chat_postMessage(channel=channel, text="elsewhere")

    thread = client.conversations_replies(channel=channel, ts=parent, include_all_metadata=True)[
        "messages"
    ]

    assert [m["text"] for m in thread] == ["checklist", "a"]
    assert thread[1]["metadata"] == META
    with pytest.raises(SlackApiError) as caught:
        client.conversations_replies(channel=channel, ts="1.000001")
    assert caught.value.response["error"] == "thread_not_found"


def test_history_of_a_channel_the_bot_is_not_in_is_refused(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.add_channel("elsewhere", channel_id="C0ELSEWHERE", bot_is_member=False)
    with pytest.raises(SlackApiError) as caught:
        client.conversations_history(channel="C0ELSEWHERE")
    assert caught.value.response["error"] in ("not_in_channel", "channel_not_found")


def test_post_once_finds_an_earlier_post_of_the_same_effect(
    client: WebClient, standin: SlackStandIn, channel: str
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    parent = client.chat_postMessage(channel=channel, text="checklist")["ts"]
    first = Once("outbox:9", again=False, since=since).part("note")
    ts = post_once(client, first, channel=channel, thread_ts=parent, text="done")

    # The same effect performed again after a crash: found, not posted twice.
    again = Once("outbox:9", again=True, since=since).part("note")
    assert post_once(client, again, channel=channel, thread_ts=parent, text="done") == ts
    # Another effect is posted.
    other = Once("outbox:10", again=True, since=since).part("note")
    assert post_once(client, other, channel=channel, thread_ts=parent, text="done") != ts

    thread = [m for m in standin.messages(channel) if m.thread_ts == parent]
    assert [m.metadata["event_payload"]["key"] for m in thread] == [
        "outbox:9:note",
        "outbox:10:note",
    ]
    assert thread[0].metadata["event_type"] == EVENT_TYPE
    assert find(client, channel, "outbox:9:note", since, parent) == ts
    assert find(client, channel, "outbox:11:note", since, parent) is None
    assert standin.violations == []

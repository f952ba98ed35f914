"""The stand-in's files as a person's uploads and messages make them: files.info, the private
download (the bot token checked, a sign-in page otherwise, as Slack does), permalinks."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from leakbot.devslack import SlackStandIn

SEC = "U0SEC00001"
SHOT = b"\x89PNG\r\n\x1a\n" + b"pixels" * 10


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(users=[SEC]) as running:
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(base_url=standin.api_url, token=standin.token, timeout=5)


def fetch(url: str, token: str | None) -> tuple[int, str, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def test_an_upload_is_described_by_files_info_and_downloads_with_the_bot_token(
    client: WebClient, standin: SlackStandIn
) -> None:
    shown = standin.user_upload(SEC, "forum post.png", SHOT)
    info = client.files_info(file=shown["id"])["file"]
    assert info["name"] == "forum post.png" and info["user"] == SEC
    assert info["mimetype"] == "image/png" and info["size"] == len(SHOT)
    assert info["url_private_download"].endswith("/forum%20post.png")
    assert fetch(info["url_private_download"], standin.token) == (200, "image/png", SHOT)
    standin.assert_clean()


@pytest.mark.parametrize("token", [None, "xoxb-someone-else"])
def test_a_download_without_the_bot_token_gets_a_sign_in_page_with_200(
    standin: SlackStandIn, token: str | None
) -> None:
    shown = standin.user_upload(SEC, "shot.png", SHOT)
    status, kind, body = fetch(shown["url_private_download"], token)
    assert status == 200 and kind.startswith("text/html")
    assert body.startswith(b"<!DOCTYPE html>") and SHOT not in body
    assert standin.violations == [f"download {shown['id']}: no valid bot token sent"]


def test_an_unknown_file_is_file_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.files_info(file="F0NOSUCH01")
    assert caught.value.response["error"] == "file_not_found"


def test_a_message_with_files_is_shown_as_a_shortcut_payload_carries_it(
    client: WebClient, standin: SlackStandIn
) -> None:
    channel = standin.add_channel("leak-1-x", is_private=True, members=[SEC])
    shown = standin.user_upload(SEC, "a.png", SHOT)
    message = standin.post_as(SEC, channel.id, "look", [shown["id"]])
    assert message["user"] == SEC and message["text"] == "look"
    assert [f["id"] for f in message["files"]] == [shown["id"]]
    link = client.chat_getPermalink(channel=channel.id, message_ts=message["ts"])
    assert link["permalink"].endswith(f"/archives/{channel.id}/p{message['ts'].replace('.', '')}")
    info = client.files_info(file=shown["id"])["file"]
    assert channel.id in info["channels"] + info["groups"]

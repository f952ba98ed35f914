"""A real slack_sdk WebClient against the stand-in: it answers like Slack and checks each call."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from leakbot.devslack import SlackStandIn, User

SEC, LEG, PRO, GONE = "U0SEC00001", "U0LEG00001", "U0PRO00001", "U0OLD00001"
MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "Report"}, "blocks": []}


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    users = [SEC, User(LEG, "legal"), PRO, User(GONE, "former", deleted=True)]
    with SlackStandIn(users=users, usergroups={"S0LEGAL001": [LEG]}) as running:
        yield running


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(base_url=standin.api_url, token=standin.token, timeout=5)


def slack_error(call: object) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()  # type: ignore[operator]
    return str(caught.value.response["error"])


def test_auth_test_names_the_bot_user(client: WebClient, standin: SlackStandIn) -> None:
    answer = client.auth_test()

    assert answer["user_id"] == standin.bot_user_id
    assert standin.api_url.endswith("/api/")


def test_a_missing_required_argument_is_refused_and_kept_as_a_violation(
    client: WebClient, standin: SlackStandIn
) -> None:
    error = slack_error(lambda: client.api_call("chat.postMessage", json={"text": "hello"}))

    assert error == "invalid_arguments"
    assert standin.violations == ["chat.postMessage: missing required argument 'channel'"]
    with pytest.raises(AssertionError, match="missing required argument 'channel'"):
        standin.assert_clean()


def test_an_argument_slack_does_not_document_is_a_violation(
    client: WebClient, standin: SlackStandIn
) -> None:
    error = slack_error(lambda: client.conversations_create(name="leak-1", privat=True))

    assert error == "invalid_arguments"
    assert standin.violations == ["conversations.create: unknown argument 'privat'"]


def test_another_token_is_refused_as_invalid_auth(standin: SlackStandIn) -> None:
    stranger = WebClient(base_url=standin.api_url, token="xoxb-someone-else")

    assert slack_error(stranger.auth_test) == "invalid_auth"
    assert standin.calls[-1].error == "invalid_auth"


def test_a_method_outside_the_table_is_unknown_method_and_a_violation(
    client: WebClient, standin: SlackStandIn
) -> None:
    assert slack_error(lambda: client.api_call("chat.postMesage", json={"channel": "C1"})) == (
        "unknown_method"
    )
    assert standin.violations == ["chat.postMesage: unknown method (not in methods.json)"]


def test_a_call_without_any_token_is_not_authed(standin: SlackStandIn) -> None:
    anonymous = WebClient(base_url=standin.api_url)

    assert slack_error(anonymous.auth_test) == "not_authed"


def test_a_private_channel_is_created_and_a_taken_name_is_refused(
    client: WebClient, standin: SlackStandIn
) -> None:
    created = client.conversations_create(name="leak-1-bumper-drafts", is_private=True)

    channel = standin.channel_by_name("leak-1-bumper-drafts")
    assert channel is not None and channel.is_private
    assert created["channel"]["id"] == channel.id
    assert slack_error(lambda: client.conversations_create(name="leak-1-bumper-drafts")) == (
        "name_taken"
    )


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Leak-1", "invalid_name_specials"),
        ("leak 1", "invalid_name_specials"),
        ("l" * 81, "invalid_name_maxlength"),
        ("--", "invalid_name_punctuation"),
    ],
)
def test_channel_names_follow_slacks_rules(client: WebClient, name: str, error: str) -> None:
    assert slack_error(lambda: client.conversations_create(name=name)) == error


def test_inviting_people_already_in_the_channel_is_already_in_channel(
    client: WebClient, standin: SlackStandIn
) -> None:
    channel = client.conversations_create(name="leak-2", is_private=True)["channel"]["id"]
    client.conversations_invite(channel=channel, users=[SEC, LEG])

    assert slack_error(lambda: client.conversations_invite(channel=channel, users=[SEC, LEG])) == (
        "already_in_channel"
    )
    client.conversations_invite(channel=channel, users=[SEC, PRO])
    assert standin.workspace.channels[channel].members == [standin.bot_user_id, SEC, LEG, PRO]


def test_one_bad_invitee_fails_the_call_unless_forced(
    client: WebClient, standin: SlackStandIn
) -> None:
    channel = client.conversations_create(name="leak-3")["channel"]["id"]

    with pytest.raises(SlackApiError) as caught:
        client.conversations_invite(channel=channel, users=[SEC, "U0NOBODY01", GONE])
    assert caught.value.response["error"] == "user_not_found"
    assert caught.value.response["errors"] == [
        {"user": "U0NOBODY01", "ok": False, "error": "user_not_found"},
        {"user": GONE, "ok": False, "error": "user_is_inactive"},
    ]
    assert standin.workspace.channels[channel].members == [standin.bot_user_id]

    forced = client.conversations_invite(channel=channel, users=[SEC, GONE], force=True)
    assert forced["errors"] == [{"user": GONE, "ok": False, "error": "user_is_inactive"}]
    assert SEC in standin.workspace.channels[channel].members


def test_the_bot_cannot_invite_itself_and_several_unknowns_are_users_not_found(
    client: WebClient, standin: SlackStandIn
) -> None:
    channel = client.conversations_create(name="leak-4")["channel"]["id"]

    assert (
        slack_error(lambda: client.conversations_invite(channel=channel, users=standin.bot_user_id))
        == "cant_invite_self"
    )
    assert (
        slack_error(
            lambda: client.conversations_invite(channel=channel, users=["U0NOBODY01", "U0NOBODY02"])
        )
        == "users_not_found"
    )


def test_messages_get_increasing_ts_threads_edits_and_pins(
    client: WebClient, standin: SlackStandIn
) -> None:
    channel = client.conversations_create(name="leak-5")["channel"]["id"]
    first = client.chat_postMessage(channel=channel, text="checklist", blocks=[])["ts"]
    reply = client.chat_postMessage(channel=channel, text="step done", thread_ts=first)["ts"]
    client.chat_update(channel=channel, ts=first, text="checklist (1/9)")
    client.pins_add(channel=channel, timestamp=first)

    posted = standin.messages(channel)
    assert [m.ts for m in posted] == [first, reply] and float(reply) > float(first)
    assert posted[0].text == "checklist (1/9)" and posted[0].edits == 1
    assert posted[1].thread_ts == first
    assert slack_error(lambda: client.pins_add(channel=channel, timestamp=first)) == (
        "already_pinned"
    )
    assert slack_error(lambda: client.chat_update(channel=channel, ts="1.000001", text="x")) == (
        "message_not_found"
    )
    permalink = client.chat_getPermalink(channel=channel, message_ts=first)["permalink"]
    assert permalink.startswith(standin.origin)
    standin.assert_clean()


def test_only_the_bots_own_messages_can_be_updated(
    client: WebClient, standin: SlackStandIn
) -> None:
    channel = client.conversations_create(name="leak-6")["channel"]["id"]
    ts = client.chat_postMessage(channel=channel, text="mine")["ts"]
    standin.workspace.channels[channel].messages[0].user = SEC

    assert slack_error(lambda: client.chat_update(channel=channel, ts=ts, text="x")) == (
        "cant_update_message"
    )


def test_topics_ephemerals_and_dms_land_where_slack_would_put_them(
    client: WebClient, standin: SlackStandIn
) -> None:
    channel = client.conversations_create(name="leak-7", is_private=True)["channel"]["id"]
    client.conversations_invite(channel=channel, users=SEC)
    client.conversations_setTopic(channel=channel, topic="LEAK-7 · contain")
    client.chat_postEphemeral(channel=channel, user=SEC, text="only you")
    dm = client.conversations_open(users=LEG)["channel"]["id"]
    client.chat_postMessage(channel=dm, text="a notice for you")

    assert standin.workspace.channels[channel].topic == "LEAK-7 · contain"
    assert [e.text for e in standin.ephemerals(SEC)] == ["only you"]
    assert dm.startswith("D") and [m.text for m in standin.dms(LEG)] == ["a notice for you"]
    assert slack_error(lambda: client.chat_postEphemeral(channel=channel, user=PRO, text="x")) == (
        "user_not_in_channel"
    )


def test_a_trigger_opens_one_view_and_expires(client: WebClient, standin: SlackStandIn) -> None:
    trigger = standin.new_trigger_id(SEC)
    opened = client.views_open(trigger_id=trigger, view=MODAL)["view"]

    assert [v["id"] for v in standin.open_views] == [opened["id"]]
    assert slack_error(lambda: client.views_open(trigger_id=trigger, view=MODAL)) == (
        "exchanged_trigger_id"
    )
    standin.trigger_ttl = 0.05
    late = standin.new_trigger_id(SEC)
    time.sleep(0.1)
    assert slack_error(lambda: client.views_open(trigger_id=late, view=MODAL)) == (
        "expired_trigger_id"
    )
    assert slack_error(lambda: client.views_open(trigger_id="made.up", view=MODAL)) == (
        "invalid_trigger_id"
    )


def test_a_view_is_updated_by_id_and_a_stale_hash_is_a_conflict(
    client: WebClient, standin: SlackStandIn
) -> None:
    opened = client.views_open(trigger_id=standin.new_trigger_id(SEC), view=MODAL)["view"]
    working = {**MODAL, "title": {"type": "plain_text", "text": "Working…"}}

    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=working)

    assert updated["view"]["title"]["text"] == "Working…"
    assert (
        slack_error(
            lambda: client.views_update(view_id=opened["id"], hash=opened["hash"], view=MODAL)
        )
        == "hash_conflict"
    )
    assert slack_error(lambda: client.views_update(view_id="V0NONE", view=MODAL)) == "not_found"


def test_the_app_home_is_published_per_person(client: WebClient, standin: SlackStandIn) -> None:
    client.views_publish(user_id=SEC, view={"type": "home", "blocks": []})

    assert standin.published_home(SEC) == {"type": "home", "blocks": []}
    assert standin.published_home(LEG) is None


def test_people_and_groups_are_looked_up(client: WebClient) -> None:
    assert client.users_info(user=GONE)["user"]["deleted"] is True
    assert client.usergroups_users_list(usergroup="S0LEGAL001")["users"] == [LEG]
    assert slack_error(lambda: client.users_info(user="U0NOBODY01")) == "user_not_found"


def test_files_upload_v2_ends_with_the_files_bytes_in_the_dm(
    client: WebClient, standin: SlackStandIn
) -> None:
    content = b"PK\x03\x04 notice of breach \xe8\xbf\x9d\xe7\xba\xa6"
    standin.scopes = (*standin.scopes, "files:read")  # files.info below reads it back
    dm = client.conversations_open(users=LEG)["channel"]["id"]

    uploaded = client.files_upload_v2(
        channel=dm, content=content, filename="LEAK-1-notice.docx", title="Notice of breach"
    )

    (stored,) = standin.files_for(LEG)
    assert stored.id == uploaded["file"]["id"] and stored.content == content
    assert stored.title == "Notice of breach"
    assert [m.files for m in standin.dms(LEG)] == [[stored.id]]
    info = client.files_info(file=stored.id)["file"]
    download = urllib.request.Request(
        info["url_private_download"], headers={"Authorization": f"Bearer {standin.token}"}
    )
    with urllib.request.urlopen(download, timeout=5) as response:
        assert response.read() == content
    standin.assert_clean()


def test_the_rate_limit_retry_handler_recovers_from_a_queued_429(standin: SlackStandIn) -> None:
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    client = WebClient(
        base_url=standin.api_url,
        token=standin.token,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    standin.fail("chat.postMessage", retry_after=0, times=1)
    channel = client.conversations_create(name="leak-8")["channel"]["id"]

    assert client.chat_postMessage(channel=channel, text="after the limit")["ok"]
    assert [(c.status, c.error) for c in standin.calls_to("chat.postMessage")] == [
        (429, "ratelimited"),
        (200, None),
    ]
    assert len(standin.messages(channel)) == 1


def test_without_a_retry_handler_a_429_reaches_the_caller_with_retry_after(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.fail("auth.test", retry_after=7)

    with pytest.raises(SlackApiError) as caught:
        client.auth_test()

    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == "7"
    assert client.auth_test()["ok"]


def test_latency_slows_every_call(client: WebClient, standin: SlackStandIn) -> None:
    standin.latency = 0.2
    started = time.perf_counter()

    client.auth_test()

    assert time.perf_counter() - started >= 0.2


def test_while_down_every_call_gets_503_and_then_slack_comes_back(
    client: WebClient, standin: SlackStandIn
) -> None:
    standin.go_down()

    with pytest.raises(SlackApiError) as caught:
        client.auth_test()
    assert caught.value.response.status_code == 503
    assert standin.calls[-1].status == 503

    standin.come_back()
    assert client.auth_test()["ok"]


def test_refusing_connections_closes_the_port_and_coming_back_reopens_it(
    client: WebClient, standin: SlackStandIn
) -> None:
    api_url = standin.api_url
    standin.go_down(mode="refuse")

    with pytest.raises(urllib.error.URLError) as caught:
        client.auth_test()
    assert isinstance(caught.value.reason, ConnectionRefusedError)

    standin.come_back()
    assert standin.api_url == api_url
    assert client.auth_test()["ok"]


def test_posts_to_a_response_url_are_recorded_and_shown_only_to_the_person(
    standin: SlackStandIn,
) -> None:
    url = standin.new_response_url(SEC, "C0GENERAL01")

    answer = WebhookClient(url).send(text="Only you can see this", response_type="ephemeral")

    assert answer.status_code == 200 and answer.body == "ok"
    assert [r.body["text"] for r in standin.responses] == ["Only you can see this"]
    assert [e.via for e in standin.ephemerals(SEC)] == ["response_url"]


def test_many_callers_at_once_are_all_answered_promptly(standin: SlackStandIn) -> None:
    """Slack takes every connection at once. With a listen backlog of 5, some of 64 callers
    at the same moment had their connection dropped, and the kernel tries a dropped
    connection again only after a second: that second is what this looks for, not a speed."""
    standin.latency = 0.2
    client = WebClient(base_url=standin.api_url, token=standin.token, timeout=5)

    def call(_: int) -> float:
        started = time.monotonic()
        client.auth_test()
        return time.monotonic() - started

    with ThreadPoolExecutor(64) as pool:
        took = list(pool.map(call, range(64)))
    assert len(took) == 64 and max(took) < 1.0


def test_a_caller_that_hangs_up_early_is_no_error_of_the_stand_in(
    standin: SlackStandIn, capfd: pytest.CaptureFixture[str]
) -> None:
    standin.latency = 0.2
    host, port = standin.api_url.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port))) as raw:
        raw.sendall(b"POST /api/auth.test HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    time.sleep(0.5)
    assert "Traceback" not in capfd.readouterr().err
    assert standin.calls_to("auth.test")

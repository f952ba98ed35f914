"""The table of Web API methods and the check each call to the stand-in gets."""

from __future__ import annotations

from leakbot.devslack.methods import load_methods, violations

CALLED = {
    "auth.test",
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "chat.getPermalink",
    "conversations.create",
    "conversations.invite",
    "conversations.setTopic",
    "conversations.setPurpose",
    "conversations.info",
    "conversations.members",
    "conversations.open",
    "conversations.rename",
    "conversations.archive",
    "pins.add",
    "usergroups.users.list",
    "users.info",
    "views.open",
    "views.update",
    "views.push",
    "views.publish",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
    "files.info",
}


def test_the_table_lists_every_method_leakbot_calls_with_its_tier_and_scopes() -> None:
    table = load_methods()

    assert CALLED - table.keys() == set()
    assert table["conversations.create"].rate_tier == "tier2"
    assert table["chat.postMessage"].rate_tier == "special"
    assert "groups:write" in table["conversations.create"].bot_scopes
    assert "name_taken" in table["conversations.create"].errors


def test_required_arguments_come_from_slacks_reference() -> None:
    table = load_methods()

    assert table["chat.postMessage"].required == {"token", "channel"}
    assert table["conversations.invite"].required == {"token", "channel", "users"}
    assert table["files.getUploadURLExternal"].required == {"token", "length", "filename"}


def test_a_sound_call_has_no_violations() -> None:
    args = {"channel": "C1", "text": "hello", "thread_ts": None}

    assert violations("chat.postMessage", args, has_token=True, json_body=True) == []


def test_a_missing_required_argument_and_a_token_nowhere_are_both_named() -> None:
    found = violations("chat.postMessage", {"text": "hello"}, has_token=False, json_body=False)

    assert found == [
        "chat.postMessage: missing required argument 'channel'",
        "chat.postMessage: missing required argument 'token'",
    ]


def test_an_empty_required_argument_counts_as_missing() -> None:
    found = violations("conversations.create", {"name": ""}, has_token=True, json_body=False)

    assert found == ["conversations.create: missing required argument 'name'"]


def test_an_argument_the_method_does_not_know_is_a_violation() -> None:
    args = {"channel": "C1", "text": "x", "chanel_name": "leak-1"}

    found = violations("chat.postMessage", args, has_token=True, json_body=False)

    assert found == ["chat.postMessage: unknown argument 'chanel_name'"]


def test_a_json_body_to_a_method_that_reads_only_forms_is_a_violation() -> None:
    args = {"filename": "a.docx", "length": 3}

    found = violations("files.getUploadURLExternal", args, has_token=True, json_body=True)

    assert found == [
        "files.getUploadURLExternal: sent as a JSON body, which this method does not read"
    ]


def test_a_method_outside_the_table_is_a_violation() -> None:
    assert violations("chat.postMesage", {}, has_token=True, json_body=False) == [
        "chat.postMesage: unknown method (not in methods.json)"
    ]


def test_the_team_id_slack_sdk_adds_to_every_call_is_accepted() -> None:
    args = {"trigger_id": "1.2.3", "view": {"type": "modal"}, "team_id": "T1"}

    assert violations("views.open", args, has_token=True, json_body=True) == []

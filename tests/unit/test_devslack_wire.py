"""Reading calls the ways slack_sdk sends them."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from leakbot.devslack.apierror import ApiError
from leakbot.devslack.wire import id_list, read_api_request, upload_content

FORM = "application/x-www-form-urlencoded"


def test_json_string_arguments_of_a_form_are_decoded_and_the_token_taken_out() -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]
    body = urlencode({"token": "xoxb-1", "channel": "C1", "blocks": json.dumps(blocks)}).encode()

    request = read_api_request(FORM, None, body, "")

    assert request.args == {"channel": "C1", "blocks": blocks}
    assert request.token == "xoxb-1"
    assert not request.token_in_header
    assert not request.json_body


def test_text_that_looks_like_json_is_left_as_text() -> None:
    body = urlencode({"channel": "C1", "text": "[LEAK-3] {draft}"}).encode()

    request = read_api_request(FORM, "Bearer xoxb-1", body, "")

    assert request.args["text"] == "[LEAK-3] {draft}"
    assert request.token == "xoxb-1"
    assert request.token_in_header


def test_a_json_body_is_read_as_it_is() -> None:
    body = json.dumps({"view": {"type": "modal"}, "trigger_id": "1.2.3"}).encode()

    request = read_api_request("application/json;charset=utf-8", "Bearer t", body, "")

    assert request.args == {"view": {"type": "modal"}, "trigger_id": "1.2.3"}
    assert request.json_body


def test_a_broken_json_body_is_answered_as_slack_does() -> None:
    with pytest.raises(ApiError) as caught:
        read_api_request("application/json", None, b"{not json", "")

    assert caught.value.code == "invalid_json"


def test_a_multipart_upload_yields_the_file_bytes() -> None:
    content = b"\x89PNG\r\n\x00binary"
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + content + b"\r\n--XyZ--\r\n"
    )

    assert upload_content("multipart/form-data; boundary=XyZ", body) == content
    assert upload_content(None, content) == content


def test_id_lists_come_as_commas_or_lists_without_repeats() -> None:
    assert id_list("U1, U2,,U1") == ["U1", "U2"]
    assert id_list(["U3", "U3", "U4"]) == ["U3", "U4"]
    assert id_list(None) == []

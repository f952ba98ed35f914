"""slack_sdk decides whether to format a DEBUG line (a whole Web API request, a whole
response_url post) from its logger's own level: leakbot sets it, so at INFO nothing of a
request is formatted at all, and at DEBUG it is (and then withheld, test_hygiene)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from leakbot import logs


class Spy:
    """A value that notes when it is formatted (and that no JSON encoder takes)."""

    formatted = 0

    def __repr__(self) -> str:
        Spy.formatted += 1
        return "Spy()"


@pytest.fixture
def restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    names = ("slack_sdk.web.base_client", "slack_sdk.webhook.client", "waitress.queue")
    levels = {n: logging.getLogger(n).level for n in names}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for n, lv in levels.items():
            logging.getLogger(n).setLevel(lv)


def formatted_by_a_request(level: str) -> int:
    logs.configure(level)
    Spy.formatted = 0
    client = WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/")
    body: dict[str, Any] = {"channel": "C1", "spy": Spy()}
    with pytest.raises(TypeError):  # the body cannot be encoded: nothing is sent
        client.api_call("chat.postMessage", json=body)
    with pytest.raises(TypeError):
        WebhookClient("http://127.0.0.1:9/hooks").send_dict({"text": "x", "spy": Spy()})
    return Spy.formatted


@pytest.mark.usefixtures("restored")
def test_at_info_no_request_is_formatted_for_a_debug_line() -> None:
    assert formatted_by_a_request("INFO") == 0


@pytest.mark.usefixtures("restored")
def test_at_debug_the_request_is_formatted_for_its_line() -> None:
    assert formatted_by_a_request("DEBUG") >= 1


def queue_warnings(level: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    """What waitress logs when requests arrive and no thread of its is free (here it has none
    at all), with leakbot's logging at ``level``."""
    from waitress.task import ThreadedTaskDispatcher

    logs.configure(level)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="leakbot"):  # leaves waitress's level alone
        dispatcher = ThreadedTaskDispatcher()
        for _ in range(3):
            dispatcher.add_task(object())
    return [r.getMessage() for r in caplog.records if r.name == "waitress.queue"]


@pytest.mark.usefixtures("restored")
def test_at_info_waitress_does_not_log_a_line_for_each_request_that_waits_for_a_thread(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert queue_warnings("INFO", caplog) == []
    assert queue_warnings("WARNING", caplog) == []


@pytest.mark.usefixtures("restored")
def test_at_debug_waitress_says_how_many_requests_wait(caplog: pytest.LogCaptureFixture) -> None:
    assert queue_warnings("DEBUG", caplog) == [f"Task queue depth is {n}" for n in (1, 2, 3)]

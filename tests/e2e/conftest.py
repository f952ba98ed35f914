"""What the e2e tests against a real ``leakbot serve`` share: the stand-in of Slack with the
demo's people and user groups, and the announcement channel (a module may define its own)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leakbot.demo.world import GROUPS, PEOPLE
from leakbot.devslack import SlackStandIn


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    s = SlackStandIn(users=PEOPLE, usergroups=GROUPS).start()
    s.add_channel("leak-announcements", channel_id="C0ANNOUNCE1")
    yield s
    s.stop()

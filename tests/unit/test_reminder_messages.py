"""The words of reminders: who is mentioned, and that typed text pings nobody."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from leakbot.domain.incident import Facts, Incident, StepState
from leakbot.domain.playbook import Playbook, StepSpec
from leakbot.slack.blocks.reminder_posts import owner_mentions, step_notice

DUE = datetime(2026, 2, 5, 9, 0, tzinfo=UTC)
TZ = ZoneInfo("Asia/Shanghai")


def incident(*steps: StepSpec) -> Incident:
    playbook = Playbook(id="p", name="P", steps=steps)
    return Incident(
        number=7,
        facts=Facts(title="Bumper drafts"),
        reporter="U0SEC00001",
        commander="U0CMD00001",
        playbook=playbook,
        opened_at=DUE,
        steps={s.id: StepState(s.id) for s in steps},
    )


def test_owners_are_mentioned_as_people_and_user_groups() -> None:
    step = StepSpec(id="notify", title="Notify", owner="legal")
    found = owner_mentions({"legal": ("U0LEG00001", "S0LEGAL001")}, incident(step), step)
    assert found == "<@U0LEG00001> <!subteam^S0LEGAL001>"


def test_a_commander_step_and_an_empty_role_mention_the_commander() -> None:
    mine = StepSpec(id="close", title="Close", owner="commander")
    nobody = StepSpec(id="advise", title="Advise", owner="comms")
    both = incident(mine, nobody)
    assert owner_mentions({}, both, mine) == "<@U0CMD00001>"
    assert owner_mentions({"comms": ()}, both, nobody) == "<@U0CMD00001>"


def test_a_due_soon_warning_names_the_step_escaped_and_the_owners() -> None:
    step = StepSpec(id="plan", title="Plan <!channel> & more", owner="procurement")
    message = step_notice(
        incident(step), step, "deadline_soon", DUE, TZ, {"procurement": ("U0PRO00001",)}
    )
    blocks: list[Any] = [b.to_dict() for b in message.blocks]
    text = blocks[0]["text"]["text"]
    assert "Due soon" in text and "Plan &lt;!channel&gt; &amp; more" in text
    assert "<!channel>" not in str(blocks)
    assert message.text == "A step of LEAK-7 is due soon · <@U0PRO00001>"

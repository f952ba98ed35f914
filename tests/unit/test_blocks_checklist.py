"""The checklist message: every step, its state and its controls, within Slack's limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from leakbot.domain.incident import Facts, Incident, IncidentStatus, StepState, StepStatus
from leakbot.domain.playbook import Choice, Due, InputSpec, Playbook, StepSpec
from leakbot.domain.rules import Context, advance, close_incident, complete_step
from leakbot.slack.blocks import checklist_message
from leakbot.slack.ids import Action

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
EVIL = "<!channel> & <@UEVIL0001>"
CMDR = "U0SEC00001"


def ctx(at: datetime = T0) -> Context:
    return Context(now=at, tz=TZ, contract_days={})


def playbook(steps: int = 12, optional: bool = False) -> Playbook:
    """A chain: step 1 asks for a penalty and a basis; the rest follow one another."""
    first = StepSpec(
        id="s1",
        title="Confirm the leak",
        owner="security",
        due=Due(seconds=3600),
        inputs=(
            InputSpec(id="amount", label="Penalty", type="money"),
            InputSpec(
                id="basis",
                label="Basis",
                type="choice",
                options=(Choice("nda", "The NDA"), Choice("law", "The law")),
            ),
            InputSpec(id="note", label="Note", type="long_text", required=False),
        ),
    )
    rest = [
        StepSpec(
            id=f"s{i}",
            title=f"Step {i}",
            owner="legal" if i % 2 else "commander",
            after=(f"s{i - 1}",),
            optional=optional or i == 3,
            due=Due(seconds=86400),
        )
        for i in range(2, steps + 1)
    ]
    return Playbook(id="supplier-leak", name="Supplier leak", steps=(first, *rest))


def incident(pb: Playbook, title: str = "Bumper drafts on a forum") -> Incident:
    made = Incident(
        number=7,
        facts=Facts(title=title, severity="high", supplier_id="bjmold"),
        reporter=CMDR,
        commander=CMDR,
        playbook=pb,
        opened_at=T0,
        steps={s.id: StepState(step_id=s.id) for s in pb.steps},
    )
    advance(made, ctx())
    return made


def complete_first(made: Incident, note: str = "ok") -> None:
    values = {"amount": {"amount": "1000000.00", "currency": "CNY"}, "basis": "nda", "note": note}
    complete_step(made, "s1", actor=CMDR, roles=frozenset(), values=values, ctx=ctx())


def as_json(message: Any) -> list[dict[str, Any]]:
    return [b.to_dict() for b in message.blocks]  # to_dict validates every object


def block(blocks: list[dict[str, Any]], block_id: str) -> dict[str, Any]:
    return next(b for b in blocks if b.get("block_id") == block_id)


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]
    for b in blocks:
        found += [e for e in b.get("elements", []) if e.get("type") == "button"]
    return found


def test_twelve_steps_fit_in_one_valid_message_with_unique_block_ids() -> None:
    made = incident(playbook(12, optional=True))
    complete_first(made)
    blocks = as_json(checklist_message(made, TZ, now=T0))
    ids = [b["block_id"] for b in blocks]
    assert len(blocks) <= 50
    assert len(ids) == len(set(ids))
    assert sum(1 for i in ids if i.startswith("step:")) == 12
    assert all(len(b["value"]) <= 2000 for b in buttons(blocks))


def test_a_very_long_playbook_still_fits_in_fifty_blocks_and_says_more_exist() -> None:
    made = incident(playbook(70, optional=True))
    blocks = as_json(checklist_message(made, TZ, now=T0))
    assert len(blocks) <= 50
    assert "more steps" in json.dumps(block(blocks, "more"))


def test_the_header_shows_the_ref_and_title_and_progress_counts_finished_steps() -> None:
    made = incident(playbook(8))
    complete_first(made)
    message = checklist_message(made, TZ, now=T0)
    blocks = as_json(message)
    assert block(blocks, "head")["text"]["text"] == "LEAK-7 · Bumper drafts on a forum"
    status = block(blocks, "status")["text"]["text"]
    assert "1/8 finished" in status and f"<@{CMDR}>" in status
    assert "1/8" in message.text


def test_a_ready_step_has_a_primary_complete_button_carrying_number_and_step() -> None:
    blocks = as_json(checklist_message(incident(playbook(4)), TZ, now=T0))
    accessory = block(blocks, "step:s1")["accessory"]
    assert accessory["action_id"] == Action.COMPLETE_STEP
    assert accessory["style"] == "primary"
    assert accessory["value"] == "7:s1"


def test_a_ready_optional_step_offers_complete_and_skip() -> None:
    made = incident(playbook(4))
    complete_first(made)
    complete_step(made, "s2", actor=CMDR, roles=frozenset(), values={}, ctx=ctx())
    blocks = as_json(checklist_message(made, TZ, now=T0))
    actions = [e["action_id"] for e in block(blocks, "act:s3")["elements"]]
    assert actions == [Action.COMPLETE_STEP, Action.SKIP_STEP]
    assert "accessory" not in block(blocks, "step:s3")


def test_a_done_step_shows_who_when_its_inputs_and_a_reopen_button() -> None:
    made = incident(playbook(4))
    complete_first(made)
    blocks = as_json(checklist_message(made, TZ, now=T0))
    step = block(blocks, "step:s1")
    text = step["text"]["text"]
    assert f"Done by <@{CMDR}> <!date^{int(T0.timestamp())}^" in text
    assert "Penalty: CNY 1,000,000.00" in text
    assert "Basis: The NDA" in text
    assert step["accessory"]["action_id"] == Action.REOPEN_STEP


def test_a_pending_step_says_what_it_waits_for_and_has_no_control() -> None:
    blocks = as_json(checklist_message(incident(playbook(4)), TZ, now=T0))
    step = block(blocks, "step:s2")
    assert "Waits for “Confirm the leak”" in step["text"]["text"]
    assert "accessory" not in step


def test_an_overdue_step_is_marked_and_a_step_not_yet_due_is_not() -> None:
    made = incident(playbook(4))
    early = as_json(checklist_message(made, TZ, now=T0 + timedelta(minutes=30)))
    late = as_json(checklist_message(made, TZ, now=T0 + timedelta(hours=2)))
    assert "overdue" not in block(early, "step:s1")["text"]["text"]
    assert "*overdue*" in block(late, "step:s1")["text"]["text"]


def test_a_closed_incident_shows_its_outcome_and_only_reopen_controls() -> None:
    made = incident(playbook(4))
    complete_first(made)
    close_incident(
        made, actor=CMDR, outcome=IncidentStatus.FALSE_ALARM, reason="Not ours", ctx=ctx()
    )
    blocks = as_json(checklist_message(made, TZ, now=T0))
    status = block(blocks, "status")["text"]["text"]
    assert "false alarm" in status and "Not ours" in status
    step_controls = {b["action_id"] for b in buttons(blocks)} - {
        Action.SHOW_NOTICES,
        Action.ADD_EVIDENCE,
    }
    assert step_controls == {Action.REOPEN_STEP}
    assert all(s.status is not StepStatus.READY for s in made.steps.values())


def test_the_notices_button_carries_the_incident_number_and_the_count() -> None:
    blocks = as_json(checklist_message(incident(playbook(2)), TZ, notice_count=3, now=T0))
    notices = block(blocks, "controls")["elements"][0]
    assert notices["action_id"] == Action.SHOW_NOTICES
    assert notices["value"] == "7"
    assert notices["text"]["text"] == "Notices (3)"


def test_typed_text_in_title_inputs_and_reasons_pings_nobody() -> None:
    made = incident(playbook(4), title=f"Drafts {EVIL}")
    complete_first(made, note=f"see {EVIL}")
    made.steps["s2"].note = f"because {EVIL}"
    message = checklist_message(made, TZ, now=T0)
    dumped = json.dumps(as_json(message)) + message.text
    assert "<!channel>" not in dumped and "<@UEVIL0001>" not in dumped
    assert "&lt;!channel&gt; &amp; &lt;@UEVIL0001&gt;" in dumped

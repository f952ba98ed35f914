"""The rules of a leak response, with no database and no Slack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from leakbot.domain.errors import (
    AlreadyDone,
    IncidentClosed,
    InvalidInputs,
    NotPermitted,
    NotReady,
    Refused,
)
from leakbot.domain.incident import Facts, IncidentStatus, StepStatus, parse_ref
from leakbot.domain.inputs import validate_inputs
from leakbot.domain.playbook import (
    Choice,
    CloseRule,
    Condition,
    Due,
    InputSpec,
    Playbook,
    StepSpec,
)
from leakbot.domain.rules import (
    Context,
    close_incident,
    complete_step,
    open_incident,
    reopen_step,
    skip_step,
)

T0 = datetime(2026, 1, 22, 9, 0, tzinfo=UTC)
CONFIRMED = Condition(input="confirm.verdict", equals="confirmed")
PLAYBOOK = Playbook(
    id="supplier-leak",
    name="Supplier leak",
    steps=(
        StepSpec(
            id="confirm",
            title="Confirm the leak",
            owner="security",
            due=Due(seconds=4 * 3600),
            inputs=(
                InputSpec(
                    id="verdict",
                    label="Verdict",
                    type="choice",
                    options=(Choice("confirmed", "Confirmed"), Choice("false_alarm", "No")),
                ),
            ),
            closes_incident=CloseRule(when=Condition("confirm.verdict", equals="false_alarm")),
        ),
        StepSpec(
            id="contain",
            title="Contain",
            owner="security",
            after=("confirm",),
            optional=True,
            when=CONFIRMED,
        ),
        StepSpec(
            id="notify",
            title="Notify the supplier",
            owner="legal",
            after=("confirm",),
            when=CONFIRMED,
            due=Due(seconds=86400),
        ),
        StepSpec(
            id="penalty",
            title="Assess the penalty",
            owner="legal",
            after=("notify",),
            inputs=(InputSpec(id="amount", label="Amount", type="money"),),
        ),
        StepSpec(
            id="track",
            title="Track the plan",
            owner="procurement",
            after=("penalty",),
            due=Due(contract_days="rectification_days", fallback_seconds=14 * 86400),
        ),
        StepSpec(id="close", title="Close", owner="commander", after=("track", "contain")),
    ),
)
SEC, LEGAL, PROC = frozenset({"security"}), frozenset({"legal"}), frozenset({"procurement"})


def ctx(at: datetime = T0, days: int | None = 14) -> Context:
    return Context(
        now=at,
        tz=ZoneInfo("Asia/Shanghai"),
        contract_days={"rectification_days": days} if days else {},
    )


def new_incident():  # type: ignore[no-untyped-def]
    incident, _ = open_incident(
        number=1, facts=Facts(title="Bumper drafts"), reporter="UREP", playbook=PLAYBOOK, ctx=ctx()
    )
    return incident


def test_a_new_incident_has_only_its_first_step_ready_with_a_due_time() -> None:
    incident = new_incident()
    assert incident.steps["confirm"].status is StepStatus.READY
    assert incident.steps["confirm"].due_at == T0 + timedelta(hours=4)
    assert incident.steps["notify"].status is StepStatus.PENDING
    assert incident.commander == "UREP"


def test_confirming_the_leak_makes_the_next_steps_ready() -> None:
    incident = new_incident()
    complete_step(
        incident, "confirm", actor="USEC", roles=SEC, values={"verdict": "confirmed"}, ctx=ctx()
    )
    assert incident.steps["notify"].status is StepStatus.READY
    assert incident.steps["contain"].status is StepStatus.READY
    assert incident.steps["confirm"].done_by == "USEC"


def test_a_false_alarm_closes_the_incident_and_skips_the_rest() -> None:
    incident = new_incident()
    changes = complete_step(
        incident, "confirm", actor="USEC", roles=SEC, values={"verdict": "false_alarm"}, ctx=ctx()
    )
    assert incident.status is IncidentStatus.FALSE_ALARM
    assert {s.status for k, s in incident.steps.items() if k != "confirm"} == {StepStatus.SKIPPED}
    assert changes[-1].action == "incident.closed"


def test_someone_outside_the_owner_role_is_refused_and_nothing_changes() -> None:
    incident = new_incident()
    with pytest.raises(NotPermitted, match="security"):
        complete_step(
            incident,
            "confirm",
            actor="UPRO",
            roles=PROC,
            values={"verdict": "confirmed"},
            ctx=ctx(),
        )
    assert incident.steps["confirm"].status is StepStatus.READY


def test_the_commander_may_complete_any_step() -> None:
    incident = new_incident()
    complete_step(
        incident,
        "confirm",
        actor="UREP",
        roles=frozenset(),
        values={"verdict": "confirmed"},
        ctx=ctx(),
    )
    assert incident.steps["confirm"].status is StepStatus.DONE


def test_completing_twice_says_who_did_it_first() -> None:
    incident = new_incident()
    complete_step(
        incident, "confirm", actor="USEC", roles=SEC, values={"verdict": "confirmed"}, ctx=ctx()
    )
    with pytest.raises(AlreadyDone) as err:
        complete_step(
            incident,
            "confirm",
            actor="USEC2",
            roles=SEC,
            values={"verdict": "confirmed"},
            ctx=ctx(),
        )
    assert err.value.by == "USEC"
    assert "<@USEC>" in err.value.reason


def test_a_step_out_of_order_is_refused_naming_what_it_waits_for() -> None:
    incident = new_incident()
    with pytest.raises(NotReady) as err:
        complete_step(incident, "notify", actor="ULEG", roles=LEGAL, values={}, ctx=ctx())
    assert err.value.waiting_for == ("confirm",)
    assert "Confirm the leak" in err.value.reason


def test_reopening_a_step_makes_what_depended_on_it_wait_again() -> None:
    incident = new_incident()
    complete_step(
        incident, "confirm", actor="USEC", roles=SEC, values={"verdict": "confirmed"}, ctx=ctx()
    )
    complete_step(incident, "notify", actor="ULEG", roles=LEGAL, values={}, ctx=ctx())
    assert incident.steps["penalty"].status is StepStatus.READY
    reopen_step(incident, "confirm", actor="USEC", roles=SEC, reason="wrong asset", ctx=ctx())
    assert incident.steps["confirm"].status is StepStatus.READY
    assert incident.steps["notify"].status is StepStatus.PENDING
    assert incident.steps["penalty"].status is StepStatus.PENDING
    assert incident.steps["notify"].done_by is None


def test_reopening_needs_a_reason() -> None:
    incident = new_incident()
    complete_step(
        incident, "confirm", actor="USEC", roles=SEC, values={"verdict": "confirmed"}, ctx=ctx()
    )
    with pytest.raises(Refused):
        reopen_step(incident, "confirm", actor="USEC", roles=SEC, reason=" ", ctx=ctx())


def test_the_commander_can_reopen_a_false_alarm_and_the_incident_opens_again() -> None:
    incident = new_incident()
    complete_step(
        incident, "confirm", actor="USEC", roles=SEC, values={"verdict": "false_alarm"}, ctx=ctx()
    )
    with pytest.raises(NotPermitted):
        reopen_step(incident, "confirm", actor="USEC", roles=SEC, reason="it was real", ctx=ctx())
    reopen_step(
        incident, "confirm", actor="UREP", roles=frozenset(), reason="it was real", ctx=ctx()
    )
    assert incident.status is IncidentStatus.OPEN
    assert incident.steps["confirm"].status is StepStatus.READY
    assert incident.steps["notify"].status is StepStatus.PENDING


def test_only_optional_steps_can_be_skipped_and_only_with_a_reason() -> None:
    incident = new_incident()
    complete_step(
        incident, "confirm", actor="USEC", roles=SEC, values={"verdict": "confirmed"}, ctx=ctx()
    )
    with pytest.raises(Refused, match="not optional"):
        skip_step(incident, "notify", actor="ULEG", roles=LEGAL, reason="x", ctx=ctx())
    with pytest.raises(Refused, match="why"):
        skip_step(incident, "contain", actor="USEC", roles=SEC, reason="", ctx=ctx())
    skip_step(incident, "contain", actor="USEC", roles=SEC, reason="already gone", ctx=ctx())
    assert incident.steps["contain"].status is StepStatus.SKIPPED
    assert incident.steps["contain"].note == "already gone"


def test_the_rectification_deadline_comes_from_the_contract_in_calendar_days() -> None:
    incident = new_incident()
    complete_step(
        incident, "confirm", actor="USEC", roles=SEC, values={"verdict": "confirmed"}, ctx=ctx()
    )
    complete_step(incident, "notify", actor="ULEG", roles=LEGAL, values={}, ctx=ctx())
    later = T0 + timedelta(days=1)
    complete_step(
        incident,
        "penalty",
        actor="ULEG",
        roles=LEGAL,
        values={"amount": {"amount": "1000000.00", "currency": "CNY"}},
        ctx=ctx(later),
    )
    assert incident.steps["track"].due_at == later + timedelta(days=14)


def test_without_a_contract_the_fallback_due_offset_is_used() -> None:
    incident, _ = open_incident(
        number=2, facts=Facts(title="x"), reporter="UREP", playbook=PLAYBOOK, ctx=ctx(days=None)
    )
    for step, who, roles, values in (
        ("confirm", "USEC", SEC, {"verdict": "confirmed"}),
        ("notify", "ULEG", LEGAL, {}),
        ("penalty", "ULEG", LEGAL, {"amount": {"amount": "1.00", "currency": "CNY"}}),
    ):
        complete_step(incident, step, actor=who, roles=roles, values=values, ctx=ctx(days=None))
    assert incident.steps["track"].due_at == T0 + timedelta(days=14)


def test_due_days_are_counted_on_the_local_wall_clock_across_daylight_saving() -> None:
    pb = Playbook(
        id="p",
        name="p",
        steps=(StepSpec(id="a", title="A", owner="security", due=Due(seconds=2 * 86400)),),
    )
    start = datetime(2026, 3, 7, 17, 0, tzinfo=UTC)  # 12:00 in New York, before DST starts
    c = Context(now=start, tz=ZoneInfo("America/New_York"), contract_days={})
    incident, _ = open_incident(number=3, facts=Facts(title="x"), reporter="U1", playbook=pb, ctx=c)
    due = incident.steps["a"].due_at
    assert due is not None
    assert due.astimezone(ZoneInfo("America/New_York")).hour == 12
    assert due - start == timedelta(days=2, hours=-1)


def test_finishing_every_step_closes_the_incident() -> None:
    incident = new_incident()
    for step, who, roles, values in (
        ("confirm", "USEC", SEC, {"verdict": "confirmed"}),
        ("notify", "ULEG", LEGAL, {}),
        ("penalty", "ULEG", LEGAL, {"amount": {"amount": "1.00", "currency": "CNY"}}),
        ("track", "UPRO", PROC, {}),
    ):
        complete_step(incident, step, actor=who, roles=roles, values=values, ctx=ctx())
    skip_step(incident, "contain", actor="USEC", roles=SEC, reason="nothing online", ctx=ctx())
    assert incident.status is IncidentStatus.OPEN
    complete_step(incident, "close", actor="UREP", roles=frozenset(), values={}, ctx=ctx())
    assert incident.status is IncidentStatus.CLOSED
    assert incident.progress() == (6, 6)


def test_a_closed_incident_refuses_changes() -> None:
    incident = new_incident()
    close_incident(incident, actor="UREP", outcome=IncidentStatus.CLOSED, reason="dup", ctx=ctx())
    with pytest.raises(IncidentClosed):
        complete_step(
            incident, "confirm", actor="USEC", roles=SEC, values={"verdict": "confirmed"}, ctx=ctx()
        )


def test_only_the_commander_closes_an_incident() -> None:
    incident = new_incident()
    with pytest.raises(NotPermitted):
        close_incident(incident, actor="USEC", outcome=IncidentStatus.CLOSED, reason="x", ctx=ctx())


def test_inputs_are_validated_together_with_clear_messages() -> None:
    step = StepSpec(
        id="s",
        title="S",
        owner="legal",
        inputs=(
            InputSpec(id="amount", label="Amount", type="money"),
            InputSpec(id="url", label="Link", type="url"),
            InputSpec(id="when", label="Date", type="date", required=False),
        ),
    )
    with pytest.raises(InvalidInputs) as err:
        validate_inputs(step, {"amount": "-5", "url": "not a url", "when": "tomorrow"}, "CNY")
    assert set(err.value.errors) == {"amount", "url", "when"}
    assert validate_inputs(step, {"amount": "1,000,000", "url": "https://x.example/a"}, "CNY") == {
        "amount": {"amount": "1000000.00", "currency": "CNY"},
        "url": "https://x.example/a",
    }


@pytest.mark.parametrize("raw", ["abc", "0", "1.234", "99999999999999"])
def test_absurd_or_malformed_money_is_refused(raw: str) -> None:
    step = StepSpec(
        id="s",
        title="S",
        owner="legal",
        inputs=(InputSpec(id="amount", label="Amount", type="money"),),
    )
    with pytest.raises(InvalidInputs):
        validate_inputs(step, {"amount": raw}, "CNY")


@pytest.mark.parametrize("text,number", [("LEAK-12", 12), ("leak-12", 12), ("12", 12), (" 7 ", 7)])
def test_incident_references_are_accepted_in_every_contract_form(text: str, number: int) -> None:
    assert parse_ref(text) == number


@pytest.mark.parametrize("text", ["LEAK-", "abc", "0", "LEAK-1x"])
def test_malformed_incident_references_are_refused(text: str) -> None:
    with pytest.raises(Refused):
        parse_ref(text)

"""A playbook as the rules see it: plain frozen values, no YAML.

``leakbot.loading.playbooks`` builds these from YAML (with file:line problems); an incident keeps
a frozen copy as a dict (``to_dict``/``from_dict``) so editing the YAML never changes it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

INPUT_TYPES = ("text", "long_text", "url", "number", "money", "date", "choice", "user")
InputType = Literal["text", "long_text", "url", "number", "money", "date", "choice", "user"]

#: The pseudo-role that means "the incident's commander"; never listed in the config.
COMMANDER = "commander"

#: Facts a default or a due offset may name (``default_from`` / ``due: contract.X``).
FACT_PATHS = (
    "incident.title",
    "incident.asset",
    "incident.where_seen",
    "incident.discovered_at",
    "incident.severity",
    "incident.description",
    "supplier.name",
    "supplier.contract.reference",
    "supplier.contract.clause",
    "supplier.contract.penalty",
    "supplier.contract.rectification_days",
)

#: Contract values a ``due`` may use (a number of days).
CONTRACT_DAY_KEYS = ("rectification_days",)


@dataclass(frozen=True)
class Choice:
    """One option of a ``choice`` input: the value stored and tested by conditions, the label
    people see (``label_zh`` in Chinese notices; the English label when there is none)."""

    value: str
    label: str
    label_zh: str | None = None

    def label_in(self, locale: str) -> str:
        return (self.label_zh or self.label) if locale == "zh" else self.label


@dataclass(frozen=True)
class InputSpec:
    id: str
    label: str
    type: InputType
    required: bool = True
    options: tuple[Choice, ...] = ()
    default: str | None = None
    default_from: str | None = None  # one of FACT_PATHS
    hint: str | None = None
    label_zh: str | None = None  # the question in Chinese notices

    def label_in(self, locale: str) -> str:
        return (self.label_zh or self.label) if locale == "zh" else self.label

    def choice(self, value: object) -> Choice | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Condition:
    """True when the named input (``step.input``) compares as stated.

    Exactly one of ``equals``, ``not_equals``, ``in_`` or ``is_set`` is given.
    """

    input: str  # "step_id.input_id"
    equals: str | None = None
    not_equals: str | None = None
    in_: tuple[str, ...] | None = None
    is_set: bool | None = None

    @property
    def step_id(self) -> str:
        return self.input.split(".", 1)[0]

    @property
    def input_id(self) -> str:
        return self.input.split(".", 1)[1]


@dataclass(frozen=True)
class Due:
    """When a step falls due, counted from the moment it becomes ready.

    Either a fixed offset (``seconds``) or a number of days taken from the supplier's contract
    (``contract_days``, e.g. ``rectification_days``), with ``fallback_seconds`` when the
    incident has no supplier or the contract lacks the value.
    """

    seconds: int | None = None
    contract_days: str | None = None
    fallback_seconds: int | None = None


@dataclass(frozen=True)
class Reminders:
    """How often owners are reminded once a step is overdue, and when it escalates.

    ``escalate_after`` counts from the due time; ``None`` means "the step's own due offset
    again", i.e. escalation at twice the due time. ``before_seconds`` are warnings ahead of the
    due time (``3d``, ``1d``), for deadlines long enough to be forgotten, largest first.
    """

    every_seconds: int = 24 * 3600
    escalate_after_seconds: int | None = None
    before_seconds: tuple[int, ...] = ()


@dataclass(frozen=True)
class CloseRule:
    """Completing the step with this condition true closes the incident (e.g. false alarm)."""

    when: Condition
    outcome: str = "false_alarm"


@dataclass(frozen=True)
class StepSpec:
    id: str
    title: str
    owner: str  # a config role, or COMMANDER
    description: str = ""
    title_zh: str | None = None  # the title in Chinese notices
    after: tuple[str, ...] = ()
    due: Due | None = None
    inputs: tuple[InputSpec, ...] = ()
    notices: tuple[str, ...] = ()  # template kinds, e.g. "breach_notice"
    optional: bool = False
    when: Condition | None = None  # the step applies only if this holds; else it is skipped
    closes_incident: CloseRule | None = None
    reminders: Reminders = field(default_factory=Reminders)
    line: int | None = None  # where it stands in its file, for messages

    def input(self, input_id: str) -> InputSpec | None:
        return next((i for i in self.inputs if i.id == input_id), None)

    def title_in(self, locale: str) -> str:
        return (self.title_zh or self.title) if locale == "zh" else self.title


@dataclass(frozen=True)
class Playbook:
    id: str
    name: str
    steps: tuple[StepSpec, ...]
    description: str = ""
    version: str = "1"
    idle_after_seconds: int = 3 * 24 * 3600
    source: str | None = None  # file it came from

    def step(self, step_id: str) -> StepSpec:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    @property
    def roles(self) -> tuple[str, ...]:
        """Config roles the playbook needs (not the commander), in order of first use."""
        seen: dict[str, None] = {}
        for s in self.steps:
            if s.owner != COMMANDER:
                seen.setdefault(s.owner)
        return tuple(seen)

    def dependents(self, step_id: str) -> tuple[str, ...]:
        """Steps that depend on ``step_id``, directly or not, in playbook order."""
        found: set[str] = set()
        frontier = [step_id]
        while frontier:
            cur = frontier.pop()
            for s in self.steps:
                if cur in s.after and s.id not in found:
                    found.add(s.id)
                    frontier.append(s.id)
        return tuple(s.id for s in self.steps if s.id in found)

    # --- freezing -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Playbook:
        def cond(c: dict[str, Any] | None) -> Condition | None:
            if c is None:
                return None
            return Condition(
                input=c["input"],
                equals=c.get("equals"),
                not_equals=c.get("not_equals"),
                in_=tuple(c["in_"]) if c.get("in_") is not None else None,
                is_set=c.get("is_set"),
            )

        def step(s: dict[str, Any]) -> StepSpec:
            close = s.get("closes_incident")
            rem = s.get("reminders") or {}
            due = s.get("due")
            return StepSpec(
                id=s["id"],
                title=s["title"],
                owner=s["owner"],
                description=s.get("description", ""),
                title_zh=s.get("title_zh"),
                after=tuple(s.get("after", ())),
                due=Due(**due) if due else None,
                inputs=tuple(
                    InputSpec(
                        id=i["id"],
                        label=i["label"],
                        type=i["type"],
                        required=i.get("required", True),
                        options=tuple(Choice(**o) for o in i.get("options", ())),
                        default=i.get("default"),
                        default_from=i.get("default_from"),
                        hint=i.get("hint"),
                        label_zh=i.get("label_zh"),
                    )
                    for i in s.get("inputs", ())
                ),
                notices=tuple(s.get("notices", ())),
                optional=s.get("optional", False),
                when=cond(s.get("when")),
                closes_incident=(
                    CloseRule(when=cond(close["when"]), outcome=close.get("outcome", "false_alarm"))  # type: ignore[arg-type]
                    if close
                    else None
                ),
                reminders=(
                    Reminders(**{**rem, "before_seconds": tuple(rem.get("before_seconds", ()))})
                    if rem
                    else Reminders()
                ),
                line=s.get("line"),
            )

        return cls(
            id=d["id"],
            name=d["name"],
            steps=tuple(step(s) for s in d["steps"]),
            description=d.get("description", ""),
            version=str(d.get("version", "1")),
            idle_after_seconds=d.get("idle_after_seconds", 3 * 24 * 3600),
            source=d.get("source"),
        )

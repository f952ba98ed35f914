"""The demo on the operator's own config, playbooks and templates, before going live.

The workspace is made from the config: a person for each user ID of its roles, one member for
each user group, the announce channel. A reporter reports a leak by the config's first
supplier; then, step after step as the playbook makes them ready, a person of the step's role
completes it, answering its inputs the plain way (a choice's first option, today's date, the
contract's penalty as an amount, a sample text). The operator sees their checklist, who is
invited, and the notices their templates draft.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any, TextIO

from leakbot.demo.world import LocalWorld, initial_value
from leakbot.devslack import User
from leakbot.domain.config import Config, Supplier
from leakbot.domain.incident import StepStatus
from leakbot.domain.playbook import COMMANDER, InputSpec, Playbook
from leakbot.slack.ids import Action, ReportField, View

REPORTER = User("U0DEMOREP1", "reporter", "The reporter")
ANNOUNCE_NAME = "leak-announcements"
SAMPLE_TEXT = "Sample answer written by leakbot demo"
MAX_ROUNDS = 200


def workspace_of(config: Config) -> tuple[tuple[User, ...], dict[str, list[str]]]:
    """The people and user groups a workspace needs for ``config``, named after their role."""
    users: dict[str, User] = {REPORTER.id: REPORTER}
    groups: dict[str, list[str]] = {}
    for role, members in config.roles.items():
        for n, member in enumerate(members, start=1):
            if member.startswith("S"):
                person = f"U0G{member[1:9]}"
                groups[member] = [person]
                member = person
            users.setdefault(member, User(member, f"{role}.{n}", f"{role} person {n}"))
    return tuple(users.values()), groups


class OwnStory:
    def __init__(self, world: LocalWorld, config: Config, out: TextIO = sys.stdout) -> None:
        self.world = world
        self.config = config
        self.out = out
        self.names = {u.id: u.real_name for u in world.users}
        self.number = 0

    def say(self, who: str | None, text: str) -> None:
        name = self.names.get(who or "", "leakbot")
        for n, line in enumerate(text.strip().splitlines() or [""]):
            print(f"  {name if n == 0 else '':>18} │ {line}", file=self.out)

    def scene(self, title: str) -> None:
        print(f"\n── {title} " + "─" * max(0, 72 - len(title)), file=self.out)

    # --- answering like a person who accepts what is offered ---------------------------------
    def _supplier(self) -> Supplier | None:
        return self.config.suppliers[0] if self.config.suppliers else None

    def _sample(self, spec: InputSpec, user: str) -> str:
        today = datetime.now(self.world.settings.timezone).date().isoformat()
        supplier = self._supplier()
        penalty = supplier.contract.penalty if supplier and supplier.contract else None
        if spec.type == "choice":
            return spec.options[0].value
        if spec.type == "date":
            return today
        if spec.type == "user":
            return user
        if spec.type == "url":
            return "https://example.com/leakbot-demo"
        if spec.type == "number":
            return "1"
        if spec.type == "money":
            amount = (penalty.amount or penalty.per_breach) if penalty else None
            currency = penalty.currency if penalty else "USD"
            return f"{currency} {amount or 1000}"
        return SAMPLE_TEXT

    def report(self) -> None:
        w = self.world
        supplier = self._supplier()
        self.scene(
            f"1. A leak by {supplier.name if supplier else 'an unnamed supplier'} is reported"
        )
        w.slash(REPORTER.id, "")
        view = w.modal_for(REPORTER.id, View.REPORT.value)
        answers: dict[str, Any] = {
            ReportField.TITLE.value: "Drafts found online (leakbot demo)",
            ReportField.ASSET.value: "Design drafts shared under NDA",
            ReportField.WHERE_SEEN.value: "https://example.com/where-it-was-seen",
            ReportField.DISCOVERED_ON.value: datetime.now(w.settings.timezone).date().isoformat(),
            ReportField.DESCRIPTION.value: "A sample report made by leakbot demo.",
        }
        for block in view.get("blocks", []):
            element = block.get("element", {})
            action = element.get("action_id")
            options = element.get("options") or [
                o for g in element.get("option_groups", []) for o in g.get("options", [])
            ]
            values = [o["value"] for o in options]
            if action == ReportField.SUPPLIER.value and supplier and supplier.id in values:
                answers[action] = supplier.id  # the config's first supplier
            elif action not in answers and initial_value(element) is None and values:
                answers[action] = values[0]
        reply = w.submit(REPORTER.id, view, answers)
        assert reply.status == 200 and b'"errors"' not in (reply.body or b""), reply.text
        w.settle()
        with w.deps.uow() as uow:
            incident = uow.incidents.list_open()[-1]
            links = uow.incidents.links(incident.id)  # type: ignore[arg-type]
        self.number = incident.number
        channel = w.standin.workspace.channels[links.channel_id or ""]
        invited = ", ".join(self.names.get(m, m) for m in channel.members if m in self.names)
        self.say(REPORTER.id, f"/leak, and submits the report form (LEAK-{incident.number})")
        self.say(None, f"opened the private channel #{channel.name}; invited: {invited}")
        self.say(None, f"posted the checklist of playbook '{incident.playbook.id}':")
        for step in incident.playbook.steps:
            self.say(None, f"  · {step.title}  (owner: {step.owner})")

    def _owner(self, role: str) -> str:
        if role == COMMANDER:
            return REPORTER.id
        member = self.config.roles[role][0]
        return self.world.usergroups[member][0] if member.startswith("S") else member

    def complete(self, playbook: Playbook, step_id: str) -> None:
        w = self.world
        step = playbook.step(step_id)
        user = self._owner(step.owner)
        channel, ts = w.checklist(self.number)
        w.click(
            user,
            Action.COMPLETE_STEP.value,
            f"{self.number}:{step_id}",
            channel=channel,
            message_ts=ts,
        )
        if step.inputs:
            view = w.modal_for(user, View.STEP_INPUTS.value)
            answers = {}
            shown = []
            for block in view["blocks"]:
                if block.get("type") != "input":
                    continue
                element = block["element"]
                spec = next((i for i in step.inputs if i.id == element["action_id"]), None)
                answer = initial_value(element)
                if answer is None and spec is not None:
                    answer = answers[spec.id] = self._sample(spec, user)
                shown.append(f"{block['label']['text']}: {answer or '—'}")
            self.say(user, f"fills “{view['title']['text']}” — {'; '.join(shown)}")
            reply = w.submit(user, view, answers)
            assert reply.status == 200, reply.text
            if b'"errors"' in (reply.body or b""):
                self.say(None, f"the form refused the sample answers: {reply.text}")
                w.standin.close_view(view["id"])
        w.settle()
        with w.deps.uow() as uow:
            done = uow.incidents.get(self.number).steps[step_id].status is StepStatus.DONE
        self.say(user, f"{'✓' if done else '?'} {step.title}")

    def run(self) -> tuple[str, list[str]]:
        """Plays the story; returns the incident's final status and its audit problems."""
        self.report()
        self.scene("2. Each step, as it becomes ready, by a person of its role")
        tried: set[str] = set()
        for _ in range(MAX_ROUNDS):
            with self.world.deps.uow() as uow:
                incident = uow.incidents.get(self.number)
            if incident.status.value != "open":
                break
            ready = [
                s.id
                for s in incident.playbook.steps
                if incident.steps[s.id].status is StepStatus.READY and s.id not in tried
            ]
            if not ready:
                break
            tried.add(ready[0])
            self.complete(incident.playbook, ready[0])
        with self.world.deps.uow() as uow:
            incident = uow.incidents.get(self.number)
            problems = uow.audit.verify(self.number)
        waiting = [s.title for s in incident.playbook.steps if s.id not in tried]
        if waiting and incident.status.value == "open":
            self.say(None, f"not reached with these answers: {', '.join(waiting)}")
        return incident.status.value, problems

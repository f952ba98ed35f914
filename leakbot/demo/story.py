"""The seed case, start to finish: a molding supplier leaks a car maker's bumper drafts.

Each person acts through Slack's signed requests against the real server; what they see is
read back from the stand-in of Slack. Prints a transcript and writes the drafted notices.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from leakbot.demo.screenshot import screenshot_png
from leakbot.demo.world import PEOPLE, LocalWorld, initial_value, response_texts
from leakbot.domain.incident import StepStatus
from leakbot.dossier.export import write_dossier
from leakbot.dossier.verify import verify_dossier
from leakbot.loading.paths import (
    Files,
    bundled_example_config,
    bundled_playbooks_dir,
    bundled_templates_dir,
    resolve_files,
)
from leakbot.notices.files import notice_file
from leakbot.services.notices import latest_notices
from leakbot.slack.ids import Action, EvidenceField, ReportField, Shortcut, View

REPORTER, SECURITY, LEGAL, PROCUREMENT, COMMS = (
    "U0REP00001",
    "U0SEC00001",
    "U0LEG00001",
    "U0PRO00001",
    "U0COM00001",
)
_PULL = {"docx": Action.PULL_DOCX, "md": Action.PULL_MD}
NAMES = {p.id: p.real_name.split(" (")[0] for p in PEOPLE}


@dataclass
class StoryResult:
    number: int = 0
    channel: str = ""
    channel_name: str = ""
    refusals: list[str] = field(default_factory=list)
    notice_files: list[Path] = field(default_factory=list)
    dm_files: list[str] = field(default_factory=list)
    calls: int = 0
    violations: list[str] = field(default_factory=list)  # every kind, Block Kit included
    blockkit_violations: list[str] = field(default_factory=list)
    audit_problems: list[str] = field(default_factory=list)
    final_status: str = ""
    dossier: Path | None = None
    dossier_problems: list[str] = field(default_factory=list)


class Story:
    """``before_scene(n)`` runs before scene ``n`` (1-based): a test's way to disturb the world
    in the middle of the story, e.g. a Socket Mode connection refresh."""

    def __init__(
        self,
        world: LocalWorld,
        out: TextIO = sys.stdout,
        before_scene: Callable[[int], None] | None = None,
    ) -> None:
        self.world = world
        self.out = out
        self.before_scene = before_scene
        self.scenes = 0
        self.result = StoryResult()

    # --- printing ------------------------------------------------------------------------
    def say(self, who: str | None, text: str) -> None:
        name = NAMES.get(who or "", who or "leakbot")
        lines = text.strip().splitlines() or [""]
        print(f"  {name:>10} │ {lines[0]}", file=self.out)
        for line in lines[1:]:
            print(f"  {'':>10} │ {line}", file=self.out)

    def scene(self, title: str) -> None:
        self.scenes += 1
        if self.before_scene is not None:
            self.before_scene(self.scenes)
        print(f"\n── {title} " + "─" * max(0, 72 - len(title)), file=self.out)

    # --- acting --------------------------------------------------------------------------
    def step(self, user: str, step_id: str, answers: dict[str, Any] | None = None) -> None:
        w = self.world
        channel, ts = w.checklist(self.result.number)
        value = f"{self.result.number}:{step_id}"
        reply = w.click(user, Action.COMPLETE_STEP.value, value, channel=channel, message_ts=ts)
        assert reply.status == 200, reply
        with w.deps.uow() as uow:
            has_inputs = bool(uow.incidents.get(self.result.number).playbook.step(step_id).inputs)
        if has_inputs:
            answers = answers or {}
            view = w.modal_for(user, View.STEP_INPUTS.value)
            shown = ", ".join(
                f"{b['label']['text']}: {_as_seen(b['element'], answers)}"
                for b in view["blocks"]
                if b.get("type") == "input"
            )
            self.say(user, f"fills “{view['title']['text']}” — {shown}")
            reply = w.submit(user, view, answers)
            assert reply.status == 200 and b'"errors"' not in (reply.body or b""), reply.text
        w.settle()
        state = self._state_once_done(step_id)
        title = self._title(step_id)
        self.say(user, f"✓ {title}" if state.status is StepStatus.DONE else f"? {title}")
        note = self._thread_tail()
        if note:
            self.say(None, f"(in the checklist's thread) {note}")

    def _state_once_done(self, step_id: str, timeout: float = 5.0) -> Any:
        """The step's state once it is done (or as it stands after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.world.deps.uow() as uow:
                state = uow.incidents.get(self.result.number).steps[step_id]
            if state.status is StepStatus.DONE or time.monotonic() > deadline:
                return state
            time.sleep(0.02)

    def _title(self, step_id: str) -> str:
        with self.world.deps.uow() as uow:
            return uow.incidents.get(self.result.number).playbook.step(step_id).title

    def _thread_tail(self) -> str:
        _, ts = self.world.checklist(self.result.number)
        replies = [m for m in self.world.standin.messages(self.result.channel) if m.thread_ts == ts]
        return _plain(replies[-1].text) if replies else ""

    # --- the story -----------------------------------------------------------------------
    def run(self) -> StoryResult:
        w = self.world
        r = self.result
        self.scene("1. Zhang Wei spots the company's bumper drafts online and reports them")
        reply = w.slash(REPORTER, "")
        self.say(REPORTER, f"/leak   (acknowledged in {reply.elapsed * 1000:.0f} ms)")
        view = w.modal_for(REPORTER, View.REPORT.value)
        report = {
            ReportField.TITLE: "MS11 front and rear bumper drafts posted on social media",
            ReportField.ASSET: "MS11 bumper design drafts (front and rear)",
            ReportField.TITLE_ZH: "MS11前后保险杠设计草图被发布在社交媒体上",
            ReportField.ASSET_ZH: "MS11前后保险杠设计草图",
            ReportField.WHERE_SEEN: "https://weibo.example/status/4863720011\n"
            "https://forum.example/t/ms11-first-look",
            ReportField.SUPPLIER: "bjmold",
            ReportField.DISCOVERED_ON: datetime.now(w.settings.timezone).date().isoformat(),
            ReportField.SEVERITY: "critical",
            ReportField.DESCRIPTION: "Images of the front and rear bumpers, from drafts shared "
            "with the molding supplier under NDA. Watermarks match the supplier's copy.",
        }
        reply = w.submit(REPORTER, view, {k.value: v for k, v in report.items()})
        confirm_view = reply.json().get("view", {})
        blocks = confirm_view.get("blocks", [{}])
        self.say(None, _plain(blocks[0].get("text", {}).get("text", "")))
        w.settle()
        with w.deps.uow() as uow:
            incident = uow.incidents.list_open()[-1]
            links = uow.incidents.links(incident.id)  # type: ignore[arg-type]
        r.number, r.channel, r.channel_name = incident.number, links.channel_id or "", ""
        channel = w.standin.workspace.channels[r.channel]
        r.channel_name = channel.name
        members = ", ".join(NAMES.get(m, m) for m in sorted(channel.members) if m in NAMES)
        self.say(
            None, f"opened the private channel #{channel.name} (private: {channel.is_private})"
        )
        self.say(None, f"invited: {members}")
        self.say(None, f"posted the facts and the checklist ({len(incident.steps)} steps), pinned")
        for m in w.standin.messages("C0ANNOUNCE1"):
            self.say(None, f"in #leak-announcements, for everyone: “{_plain(m.text)}”")

        self.scene("2. The wrong person tries to confirm the leak")
        channel_id, ts = w.checklist(r.number)
        w.click(
            PROCUREMENT,
            Action.COMPLETE_STEP.value,
            f"{r.number}:confirm",
            channel=channel_id,
            message_ts=ts,
        )
        w.settle()
        refusal = _last_private(w, PROCUREMENT)
        r.refusals.append(refusal)
        self.say(PROCUREMENT, "clicks “Complete” on “Confirm the leak”")
        self.say(None, f"(only Wang Fang sees) {refusal}")

        self.scene("3. Security keeps the evidence, confirms and contains; legal records a message")
        self._evidence()
        self.step(
            SECURITY,
            "confirm",
            {"verdict": "confirmed", "evidence": "Watermark ID BJM-0147-07 on both images."},
        )
        self.step(
            SECURITY,
            "contain",
            {"requests_sent": "Takedown requests sent to both sites.", "removed": "all_removed"},
        )

        self.scene("4. Legal notifies the supplier and assesses the contractual penalty")
        today = datetime.now(w.settings.timezone).date().isoformat()
        self.step(LEGAL, "notify_supplier", {"sent_on": today, "sent_to": "legal@bjmold.example"})
        self.step(LEGAL, "assess_penalty", {})

        self.scene("5. Procurement demands and tracks the rectification plan")
        self.step(PROCUREMENT, "demand_rectification", {"sent_on": today})
        self.step(
            PROCUREMENT,
            "track_rectification",
            {
                "plan_received_on": today,
                "accepted": "accepted",
                "review_notes": "Plan covers downstream partners, access control and training.",
            },
        )

        self.scene("6. Communications reminds every supplier; the commander closes")
        self.step(COMMS, "partner_advisory")
        self.step(REPORTER, "close", {"lessons": "Watermark every draft shared with suppliers."})

        self.scene("7. Legal pulls the drafted notices")
        reply = w.slash(LEGAL, f"notices LEAK-{r.number}")
        listing = response_texts(reply)
        self.say(LEGAL, f"/leak notices LEAK-{r.number}")
        drafts = [line for line in _plain(listing).splitlines() if " · v" in line]
        self.say(None, "(only Chen Jie sees) the drafts, each with Word / Markdown / Approve:")
        for line in drafts:
            self.say(None, f"  {line}")
        self._approve(LEGAL, "penalty_demand", "zh")
        self._pull(LEGAL, "penalty_demand", "zh", "docx")
        self._pull(LEGAL, "breach_notice", "en", "docx")
        reply = w.slash(COMMS, f"notices LEAK-{r.number}")  # comms may pull the advisory only
        self.say(COMMS, f"/leak notices LEAK-{r.number}")
        self.say(None, f"(only Zhao Min sees) {_plain(response_texts(reply))}")
        w.settle()
        r.dm_files = [f.name for f in w.standin.files_for(LEGAL)]
        for name in r.dm_files:
            self.say(None, f"sent to Chen Jie's direct messages only: {name}")

        with w.deps.uow() as uow:
            final = uow.incidents.get(r.number)
            r.audit_problems = uow.audit.verify(r.number)
        r.final_status = final.status.value
        r.calls = len(w.standin.calls)
        r.violations = list(w.standin.violations)
        r.blockkit_violations = list(w.standin.blockkit_violations)
        return r

    def _evidence(self) -> None:
        w, r = self.world, self.result
        channel, ts = w.checklist(r.number)
        shot = w.standin.user_upload(SECURITY, "weibo-post-screenshot.png", screenshot_png())
        w.click(SECURITY, Action.ADD_EVIDENCE.value, str(r.number), channel=channel, message_ts=ts)
        view = w.modal_for(SECURITY, View.EVIDENCE.value)
        seen = int(datetime.now(w.settings.timezone).timestamp()) - 3600
        w.submit(
            SECURITY,
            view,
            {
                EvidenceField.FILES.value: [shot],
                EvidenceField.LINKS.value: "https://weibo.example/status/4863720011",
                EvidenceField.SEEN_AT.value: seen,
                EvidenceField.NOTE.value: "Watermark BJM-0147-07 visible in the corner.",
            },
        )
        self.say(SECURITY, "clicks “Add evidence”: a screenshot, the address, when it was seen")
        w.settle()
        kept = _last_private(w, SECURITY, containing="is recorded in the audit log")
        self.say(None, f"(only Li Na sees) {kept}")
        message = w.standin.post_as(
            PROCUREMENT, channel, "The supplier's sales rep just confirmed the drafts were theirs."
        )
        self.say(PROCUREMENT, f"posts in #{r.channel_name}: “{message['text']}”")
        w.slack.message_shortcut(LEGAL, Shortcut.ADD_TO_EVIDENCE.value, channel, message)
        self.say(LEGAL, "uses “Add to evidence” on that message")
        w.settle()
        kept = _last_private(w, LEGAL, containing="is recorded in the audit log")
        self.say(None, f"(only Chen Jie sees) {kept}")

    def _draft(self, kind: str, locale: str) -> Any:
        with self.world.deps.uow() as uow:
            incident = uow.incidents.get(self.result.number)
            return next(
                d
                for d in uow.notices.latest(incident.id)  # type: ignore[arg-type]
                if d.kind == kind and d.locale == locale
            )

    def _approve(self, user: str, kind: str, locale: str) -> None:
        draft = self._draft(kind, locale)
        self.world.click(
            user, Action.APPROVE_NOTICE.value, str(draft.id), channel=self.result.channel
        )
        self.world.settle()
        self.say(user, f"clicks “Approve” on {kind.replace('_', ' ')} ({locale})")
        self.say(None, f"(only {NAMES[user]} sees) {_last_private(self.world, user)}")

    def _pull(self, user: str, kind: str, locale: str, fmt: str) -> None:
        draft = self._draft(kind, locale)
        self.world.click(user, _PULL[fmt].value, f"{draft.id}:{fmt}", channel=self.result.channel)
        self.say(user, f"clicks “Word (.docx)” on {kind.replace('_', ' ')} ({locale})")


def _as_seen(element: dict[str, Any], answers: dict[str, Any]) -> str:
    """What the person sees in a field once filled: a choice by its option's text."""
    value = answers.get(element["action_id"], initial_value(element))
    for option in element.get("options") or ():
        if option.get("value") == value:
            return str(option["text"]["text"])
    return str(value) if value else "—"


def _plain(text: str) -> str:
    """Slack's mrkdwn as a person reads it: names for mentions, no markup."""
    for user_id, name in NAMES.items():
        text = text.replace(f"<@{user_id}>", name)
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"), ("*", "")):
        text = text.replace(a, b)
    return text


def _last_private(world: LocalWorld, user: str, timeout: float = 5.0, containing: str = "") -> str:
    """The latest line only ``user`` was shown (containing ``containing``, when given: of two
    lines sent at once by different threads, "being recorded" and "recorded", either can
    arrive first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = [p.body.get("text", "") for p in world.standin.responses if p.user == user]
        texts += [e.text for e in world.standin.ephemerals(user)]
        texts = [t for t in texts if containing in t]
        if texts:
            return _plain(texts[-1])
        time.sleep(0.02)
    return ""


def _demo_name(user_id: str) -> str | None:
    return NAMES.get(user_id)


def export_notices(world: LocalWorld, number: int, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    found = latest_notices(world.deps, number)
    written = []
    for draft in found.drafts:
        for fmt in ("md", "docx"):
            name, content = notice_file(
                found.incident, draft, fmt, author=world.deps.config.company.name
            )
            (out / name).write_bytes(content)
            written.append(out / name)
    return written


def run_demo(
    out: Path | None = None,
    stream: TextIO = sys.stdout,
    before_stop: Callable[[LocalWorld, StoryResult], None] | None = None,
    files: Files | None = None,
    keep: bool = False,
) -> int:
    """The seed case on the bundled examples, else the operator's own ``files`` played through
    (``leakbot.demo.own``). The notices go to ``out``; the database lives in a temporary folder
    removed at the end, unless ``keep`` puts it in ``out`` too."""
    out = (out or Path.cwd() / "leakbot-demo-notices").resolve()
    out.mkdir(parents=True, exist_ok=True)  # a folder that cannot be made stops the demo first
    files = files or resolve_files(Path.cwd())
    seed = _is_seed(files)
    if seed:
        print(
            "leakbot demo — a supplier leak, start to finish, with a local stand-in of Slack",
            file=stream,
        )
    else:
        print(
            "leakbot demo — your own setup, played through with a local stand-in of Slack",
            file=stream,
        )
    for line in files.describe():
        print(line, file=stream)
    with tempfile.TemporaryDirectory(prefix="leakbot-demo-") as work:
        database = (out if keep else Path(work)) / "leakbot-demo.db"
        if keep:
            for stale in out.glob("leakbot-demo.db*"):
                stale.unlink()
        kept = "kept" if keep else "removed at the end; --keep keeps it"
        print(f"database: {database} (SQLite, {kept})", file=stream)
        print(f"notices: {out}", file=stream)
        env = {
            "LEAKBOT_PLAYBOOKS": str(files.playbooks.path),
            "LEAKBOT_TEMPLATES": str(files.templates.path),
        }
        if seed:
            result = _seed_story(database, out, stream, before_stop, files, env)
        else:
            result = _own_story(database, out, stream, files, env)
    if keep:
        (out / "leakbot-demo.db.migrate-lock").unlink(missing_ok=True)
    return _summary(result, out, stream, seed)


def _seed_story(
    database: Path,
    out: Path,
    stream: TextIO,
    before_stop: Callable[[LocalWorld, StoryResult], None] | None,
    files: Files,
    env: dict[str, str],
) -> StoryResult:
    with LocalWorld(f"sqlite:///{database}", config_path=files.config.path, env=env) as world:
        story = Story(world, stream)
        result = story.run()
        result.notice_files = export_notices(world, result.number, out)
        result.dossier = write_dossier(world.deps, result.number, out, names=_demo_name)
        result.dossier_problems = verify_dossier(result.dossier)
        if before_stop is not None:
            before_stop(world, result)
    return result


def _own_story(
    database: Path, out: Path, stream: TextIO, files: Files, env: dict[str, str]
) -> StoryResult:
    from leakbot.demo.own import ANNOUNCE_NAME, OwnStory, workspace_of
    from leakbot.loading.config_file import load_config

    config = load_config(files.config.path)
    users, groups = workspace_of(config)
    announce = (ANNOUNCE_NAME, config.announce_channel) if config.announce_channel else None
    with LocalWorld(
        f"sqlite:///{database}",
        config_path=files.config.path,
        env=env,
        users=users,
        usergroups=groups,
        announce=announce,
    ) as world:
        story = OwnStory(world, config, stream)
        result = StoryResult()
        result.final_status, result.audit_problems = story.run()
        result.number = story.number
        result.notice_files = export_notices(world, result.number, out)
        result.dossier = write_dossier(world.deps, result.number, out)
        result.dossier_problems = verify_dossier(result.dossier)
        result.calls = len(world.standin.calls)
        result.violations = list(world.standin.violations)
        result.blockkit_violations = list(world.standin.blockkit_violations)
    return result


def _is_seed(files: Files) -> bool:
    """True when the files in use are the bundled examples (or exact copies of them)."""
    bundled = (bundled_example_config(), bundled_playbooks_dir(), bundled_templates_dir())

    def same(a: Path, b: Path) -> bool:
        if a.is_file() or b.is_file():
            return a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes()
        names = sorted(p.name for p in a.glob("*") if p.is_file())
        if names != sorted(p.name for p in b.glob("*") if p.is_file()):
            return False
        return all((a / n).read_bytes() == (b / n).read_bytes() for n in names)

    return (
        same(files.config.path, bundled[0])
        and same(files.playbooks.path, bundled[1])
        and same(files.templates.path, bundled[2])
    )


def _summary(result: StoryResult, out: Path, stream: TextIO, seed: bool) -> int:
    print("\n── The record " + "─" * 60, file=stream)
    print(
        f"  LEAK-{result.number} is {result.final_status}; "
        f"audit log: {'intact' if not result.audit_problems else result.audit_problems}",
        file=stream,
    )
    reference = len(result.violations) - len(result.blockkit_violations)
    print(
        f"  Slack Web API calls: {result.calls}, checked against Slack's method reference: "
        f"{reference} violation(s)",
        file=stream,
    )
    print(
        "  Every message, view and acknowledgement checked against Block Kit's rules: "
        f"{len(result.blockkit_violations)} violation(s)",
        file=stream,
    )
    for line in result.violations:
        print(f"    {line}", file=stream)
    print(f"  {len(result.notice_files)} notice files written to {out}", file=stream)
    for path in result.notice_files:
        print(f"    {path.name}", file=stream)
    if result.dossier is not None:
        verdict = "verified" if not result.dossier_problems else result.dossier_problems[0]
        print(f"  the dossier: {result.dossier} ({verdict})", file=stream)
    finished = result.final_status == "closed" or not seed  # one's own story may stop earlier
    ok = not result.violations and not result.audit_problems and not result.dossier_problems
    ok = ok and finished
    return 0 if ok else 1

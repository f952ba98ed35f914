"""The only wiring: settings → config and playbooks → database → services → Slack.

Every part can be replaced by the caller (tests pass a stand-in's URL, a moved clock, …).
Nothing here runs at import time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from slack_bolt import App
from sqlalchemy.engine import Engine

from leakbot.domain.clock import Clock, SystemClock
from leakbot.domain.config import Config
from leakbot.domain.playbook import Playbook
from leakbot.loading.config_file import load_config
from leakbot.loading.crosscheck import locale_problems, unused_role_warnings
from leakbot.loading.paths import Files, resolve_files
from leakbot.loading.playbooks import check_playbooks, load_playbooks
from leakbot.operator_errors import Problem, ProblemsFound
from leakbot.services.deps import Deps
from leakbot.services.directory import Directory, GroupExpander, OnLearn
from leakbot.services.storage import UnitOfWork
from leakbot.settings import Settings

if TYPE_CHECKING:  # imported where used: a process imports only the Slack side it runs
    from leakbot.slack.runtime import Handoff, SlackRuntime
    from leakbot.slack.worker import SlackWorker


@dataclass(frozen=True)
class Setup:
    """What the operator wrote, loaded and checked."""

    settings: Settings
    config: Config
    playbooks: dict[str, Playbook]
    playbooks_dir: Path
    templates_dir: Path
    config_path: Path
    files: Files | None = None
    warnings: tuple[Problem, ...] = ()


def files_in_use(settings: Settings, cwd: Path | None = None) -> Files:
    """The config, playbooks and templates this process uses (CONTRACT §3)."""
    return resolve_files(
        cwd or Path.cwd(),
        (settings.config_path, "LEAKBOT_CONFIG"),
        (settings.playbooks_dir, "LEAKBOT_PLAYBOOKS"),
        (settings.templates_dir, "LEAKBOT_TEMPLATES"),
    )


def config_path(settings: Settings, cwd: Path | None = None) -> Path:
    return files_in_use(settings, cwd).config.path


@dataclass(frozen=True)
class Checked:
    """Everything ``serve`` would load, checked together: problems stop it, warnings do not."""

    config: Config | None
    playbooks: list[Playbook]
    problems: list[Problem]
    warnings: list[Problem]


def check_setup(
    files: Files, playbook_paths: Sequence[Path] = (), *, templates_rendered: bool = True
) -> Checked:
    """The config, the playbooks (``playbook_paths``, else the folder in use) and the
    templates, each on its own and against each other; every problem at once.

    Without ``templates_rendered`` the templates are not rendered with the seed case and read
    back from Word (the worker process: its parent has just done it)."""
    from leakbot.notices.render import check_templates

    paths = list(playbook_paths) or [files.playbooks.path]
    templates = files.templates.path
    problems: list[Problem] = []
    config: Config | None = None
    try:
        config = load_config(files.config.path)
    except ProblemsFound as e:
        problems += e.problems
    problems += check_playbooks(paths, config, templates)
    if templates.is_dir() and templates_rendered:  # else check_playbooks said it is missing
        problems += check_templates(templates)
    playbooks: list[Playbook] = []
    warnings: list[Problem] = []
    try:
        playbooks = load_playbooks(paths)  # each file on its own: their problems are said above
    except ProblemsFound:
        playbooks = []
    if config is not None and playbooks:
        problems += locale_problems(config, playbooks, templates)
        warnings += unused_role_warnings(config, playbooks)
    return Checked(config, playbooks, problems, warnings)


def load_setup(
    settings: Settings, cwd: Path | None = None, *, templates_rendered: bool = True
) -> Setup:
    """Config, playbooks and templates, with every problem reported at once, before anything
    is written anywhere (``check_setup``)."""
    files = files_in_use(settings, cwd)
    checked = check_setup(files, templates_rendered=templates_rendered)
    if checked.problems:
        raise ProblemsFound(checked.problems)
    assert checked.config is not None
    playbooks = {p.id: p for p in checked.playbooks}
    return Setup(
        settings,
        checked.config,
        playbooks,
        files.playbooks.path,
        files.templates.path,
        files.config.path,
        files,
        tuple(checked.warnings),
    )


def open_database(url: str, pool_size: int = 16, migrate: bool = True) -> Engine:
    from leakbot.store.db import make_engine, upgrade

    engine = make_engine(url, pool_size=pool_size)
    if migrate:
        upgrade(engine)
    return engine


def on_request_path(
    deps: Deps, engine: Engine, pool_size: int = 16, evidence_dir: Path | None = None
) -> tuple[Deps, Engine]:
    """The same dependencies on a second engine whose every wait is short, for the database
    work done before a Slack acknowledgement; the caller disposes of the engine."""
    from leakbot.store.db import make_engine, make_session_factory
    from leakbot.store.inbox import IntentLog
    from leakbot.store.incidents import IncidentPeek
    from leakbot.store.uow import UnitOfWork

    quick_engine = make_engine(engine.url, pool_size=pool_size, request_path=True)
    sessions = make_session_factory(quick_engine)
    quick = replace(
        deps,
        uow=lambda: UnitOfWork(sessions, evidence_dir=evidence_dir),
        reader=lambda: UnitOfWork(sessions, read_only=True, evidence_dir=evidence_dir),
        intents=IntentLog(quick_engine),
        peek=IncidentPeek(quick_engine),
    )
    return quick, quick_engine


def build_deps(
    setup: Setup,
    engine: Engine,
    *,
    clock: Clock | None = None,
    expand_group: GroupExpander | None = None,
) -> Deps:
    from leakbot.notices.drafter import NoticeDrafter
    from leakbot.notices.render import NoticeRenderer
    from leakbot.store.db import STORAGE_ERRORS, make_session_factory
    from leakbot.store.inbox import IntentLog
    from leakbot.store.incidents import IncidentPeek
    from leakbot.store.uow import UnitOfWork

    sessions = make_session_factory(engine)
    clock = clock or SystemClock()
    tz = setup.settings.timezone
    evidence_dir = setup.settings.evidence_dir
    return Deps(
        uow=lambda: UnitOfWork(sessions, evidence_dir=evidence_dir),
        reader=lambda: UnitOfWork(sessions, read_only=True, evidence_dir=evidence_dir),
        intents=IntentLog(engine),
        peek=IncidentPeek(engine),
        evidence_max_bytes=setup.settings.evidence_max_bytes,
        outbox_lease_seconds=setup.settings.outbox_lease_seconds,
        config=setup.config,
        playbooks=setup.playbooks,
        directory=Directory(setup.config, expand_group),
        clock=clock,
        tz=tz,
        storage_errors=STORAGE_ERRORS,
        drafter=NoticeDrafter(NoticeRenderer(setup.templates_dir), setup.config, tz, clock),
    )


def offline_deps(settings: Settings) -> Deps:
    """The dependencies of a command that works from an existing database without Slack
    (exporting notices, a dossier): the setup loaded, the database opened, never migrated."""
    from leakbot.store.db import open_existing

    return build_deps(load_setup(settings), open_existing(settings.database_url))


def stored_record(settings: Settings) -> Callable[[], UnitOfWork]:
    """Read-only units of work on an existing database, needing no config (``leakbot audit
    verify`` checks a copy on a machine that has only the database and the evidence)."""
    from leakbot.store.db import make_session_factory, open_existing
    from leakbot.store.uow import UnitOfWork as StoreUnitOfWork

    sessions = make_session_factory(open_existing(settings.database_url))
    evidence_dir = settings.evidence_dir
    return lambda: StoreUnitOfWork(sessions, read_only=True, evidence_dir=evidence_dir)


@dataclass
class SlackParts:
    app: App
    #: the dependencies as the Slack side wired them (its user groups, its worker's wake-up):
    #: what this process's use cases and scheduler run with
    deps: Deps
    runtime: SlackRuntime
    #: None when a worker process does the work
    worker: SlackWorker | None
    #: the request path's engine, when one was made: dispose of it with the main one
    request_engine: Engine | None = None

    @property
    def own_worker(self) -> SlackWorker:
        """The worker of a process that does its Slack work itself (no worker process)."""
        if self.worker is None:
            raise RuntimeError("this process hands its Slack work to a worker process")
        return self.worker

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        if self.request_engine is not None:
            self.request_engine.dispose()


def build_slack(
    setup: Setup,
    deps: Deps,
    *,
    engine: Engine | None = None,
    poll_seconds: float = 5.0,
    handoff: Handoff | None = None,
    on_groups: OnLearn | None = None,
) -> SlackParts:
    """The Bolt app, its Web API client and the worker that does Slack work off-request.

    With ``engine``, the work before each acknowledgement gets an engine of its own with short
    timeouts, so a database that does not answer is told to the person within 3 seconds.

    With ``handoff`` (``leakbot.slack.runtime.Handoff``) this process only acknowledges: it has
    no worker, makes no Web API call and reads no user group (it is told their members); the
    worker process does everything else. ``on_groups`` is told each user group's members as
    this process reads them (the worker process passes them on)."""
    from leakbot.slack.app import build_app
    from leakbot.slack.client import make_client
    from leakbot.slack.runtime import SlackRuntime

    settings = setup.settings
    assert settings.bot_token is not None
    role = "web" if handoff is not None else "worker"
    client = make_client(settings.bot_token, settings.api_url, role=role)
    worker = None
    if handoff is None:
        from leakbot.slack.effects import SlackEffects
        from leakbot.slack.groups import group_expander
        from leakbot.slack.worker import SlackWorker

        # a commit that owed Slack work wakes the worker at once
        wake = threading.Event()
        deps = replace(
            deps,
            directory=Directory(setup.config, group_expander(client), on_learn=on_groups),
            after_commit=wake.set,
        )
        threading.Thread(target=deps.directory.warm, name="warm-groups", daemon=True).start()
        worker = SlackWorker(
            deps, SlackEffects(client, deps).perform, poll_seconds=poll_seconds, wake=wake
        )
    else:
        # deps.directory stays as build_deps made it, reading no group: the worker process
        # tells it the members (it may have begun to already)
        deps = replace(deps, after_commit=handoff.kick)
    quick, request_engine = (
        on_request_path(deps, engine, evidence_dir=settings.evidence_dir)
        if engine is not None
        else (None, None)
    )
    runtime = SlackRuntime(
        deps=deps,
        client=client,
        worker=worker,
        quick=quick,
        handoff=handoff,
        agent=f"leakbot-{role}",
    )
    app = build_app(runtime, settings.signing_secret or "")
    return SlackParts(
        app=app, deps=deps, runtime=runtime, worker=worker, request_engine=request_engine
    )

"""What each ``leakbot`` command does, in terms of bootstrap and services."""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leakbot import bootstrap
from leakbot.memory import IdleTrim, limit_arenas, steady_memory
from leakbot.operator_errors import ProblemsFound, UserError
from leakbot.settings import Settings

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from sqlalchemy.engine import Engine

    from leakbot.offload.link import ToWorker
    from leakbot.offload.supervisor import WorkerProcess
    from leakbot.services.deps import Deps
    from leakbot.slack.worker import SlackWorker

log = logging.getLogger("leakbot")

DEFAULT_PORT = 3000


def run(args: argparse.Namespace, settings: Settings) -> int:
    handler = {
        "serve": serve,
        "socket": socket_mode,
        "work": work,
        "scheduler": scheduler,
        "demo": demo,
        "playbook": playbook_check,
        "db": db_upgrade,
        "notices": notices_export,
        "audit": audit_verify,
        "doctor": doctor,
        "dossier": dossier,
    }[args.command]
    return handler(settings, args)


def _start(settings: Settings, command: str, *needs: str) -> tuple[bootstrap.Setup, Engine]:
    settings.require(command, *needs)
    setup = bootstrap.load_setup(settings)
    engine = bootstrap.open_database(settings.database_url)
    _announce(setup)
    return setup, engine


def _announce(setup: bootstrap.Setup) -> None:
    """Which files this process uses, one line each, and what in them is suspicious."""
    files = setup.files
    for in_use in (files.config, files.playbooks, files.templates) if files else ():
        # the bundled example config has made-up Slack IDs: no real deployment wants it
        level = logging.WARNING if in_use.bundled and in_use.what == "config" else logging.INFO
        log.log(level, "%s", in_use.describe())
    for warning in setup.warnings:
        log.warning("%s", warning)


def serve(settings: Settings, args: argparse.Namespace) -> int:
    import waitress

    from leakbot.slack.http import SERVER_LIMITS, make_wsgi_app
    from leakbot.store.db import ping

    settings.require("serve", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    limit_arenas()
    setup = bootstrap.load_setup(settings)
    port = (settings.port or DEFAULT_PORT) if args.port is None else args.port
    sock = _bind(args.host, port)
    port = sock.getsockname()[1]
    engine = bootstrap.open_database(settings.database_url)
    _announce(setup)
    deps = bootstrap.build_deps(setup, engine)
    child, handoff = _worker_process(deps, args.no_scheduler)
    try:
        parts = bootstrap.build_slack(setup, deps, engine=engine, handoff=handoff)
        wsgi = make_wsgi_app(
            parts.app,
            lambda: ping(engine),
            signing_secret=str(settings.signing_secret),
            worker=lambda: child.alive,
        )
        trim = IdleTrim()

        def served(environ: dict[str, Any], start_response: Any) -> Any:
            trim.worked()
            return wsgi(environ, start_response)

        server = waitress.create_server(
            served, sockets=[sock], threads=args.threads, ident="leakbot", **SERVER_LIMITS
        )
        child.wait_ready()
        _acknowledging()
        trim.start()
        log.info(
            "leakbot serving Slack on %s:%s (worker process %s, scheduler: %s)",
            args.host,
            port,
            child.pid,
            not args.no_scheduler,
        )
        _stop_on_sigterm()
        try:
            server.run()
        finally:
            parts.close()
    finally:
        child.stop()
    return 0


def _worker_process(deps: Deps, no_scheduler: bool) -> tuple[WorkerProcess, ToWorker]:
    """The worker process (``leakbot work``), started; it tells this process the members of
    the config's user groups as it reads them."""
    from leakbot.offload.link import ToWorker
    from leakbot.offload.supervisor import WorkerProcess

    def told(message: dict[str, Any]) -> None:
        if message.get("t") == "groups":
            deps.directory.learn(str(message["group"]), [str(u) for u in message["users"]])

    handoff = ToWorker()
    child = WorkerProcess(["--no-scheduler"] if no_scheduler else [], handoff, told)
    return child.start(), handoff


#: How often the acknowledging process's threads hand Python's lock over, in seconds (the
#: interpreter's default is 0.005): a request whose record was just written gets it back
#: sooner from the threads parsing the next ones.
SWITCH_SECONDS = 0.001


def _acknowledging() -> None:
    """Tune the process that acknowledges, once built: memory held steady, quick hand-overs."""
    steady_memory()
    sys.setswitchinterval(SWITCH_SECONDS)


def _stop_on_sigterm() -> None:
    """SIGTERM ends ``serve`` as Ctrl-C does: through its ``finally``, which stops the worker
    process cleanly."""

    def stop(*_: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)


def work(settings: Settings, args: argparse.Namespace) -> int:
    """The worker process of ``serve`` and ``socket`` (started by them, never by hand)."""
    from leakbot.offload.child import run_worker

    return run_worker(settings, args.line, args.parent, not args.no_scheduler)


def _bind(host: str, port: int) -> socket.socket:
    """The listening address, taken before anything starts: an address in use is the
    operator's to fix, and said before the process claims to serve."""
    import errno

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError:
            sock.close()
            raise
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise UserError(
                f"port {port} on {host} is already in use; stop what listens there or choose "
                "another with --port or PORT"
            ) from None
        raise UserError(f"cannot listen on {host}:{port} ({e.strerror or e})") from None
    return sock


def socket_mode(settings: Settings, args: argparse.Namespace) -> int:
    from slack_sdk.errors import SlackApiError, SlackRequestError

    from leakbot.slack.socket_client import socket_mode_handler

    limit_arenas()
    setup, engine = _start(settings, "socket", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    deps = bootstrap.build_deps(setup, engine)
    child, handoff = _worker_process(deps, args.no_scheduler)
    try:
        parts = bootstrap.build_slack(setup, deps, engine=engine, handoff=handoff)
        assert settings.app_token is not None
        handler = socket_mode_handler(parts.app, settings.app_token)
        child.wait_ready()
        _acknowledging()
        handoff.on_send = IdleTrim().start().worked
        try:
            try:
                handler.connect()  # type: ignore[no-untyped-call]
            except (SlackApiError, SlackRequestError, OSError) as e:
                raise UserError(
                    f"Socket Mode could not connect to Slack ({_slack_reason(e)}); check "
                    "SLACK_APP_TOKEN and that Socket Mode is enabled for the app"
                ) from None
            log.info("leakbot connected to Slack over Socket Mode (worker process %s)", child.pid)
            _wait_for_stop()
            handler.close()  # type: ignore[no-untyped-call]
        finally:
            parts.close()
    finally:
        child.stop()
    return 0


def _slack_reason(e: Exception) -> str:
    from slack_sdk.errors import SlackApiError

    if isinstance(e, SlackApiError) and isinstance(e.response.data, dict):
        return str(e.response.data.get("error") or "refused")
    return type(e).__name__


def _wait_for_stop() -> None:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def _scheduler(deps: Deps, worker: SlackWorker) -> BackgroundScheduler:
    from leakbot.scheduler.runner import start_scheduler

    return start_scheduler(deps, worker)


def scheduler(settings: Settings, args: argparse.Namespace) -> int:
    setup, engine = _start(settings, "scheduler", "SLACK_BOT_TOKEN")
    deps = bootstrap.build_deps(setup, engine)
    parts = bootstrap.build_slack(setup, deps)
    clock = _scheduler(parts.deps, parts.own_worker)
    log.info("leakbot scheduler running")
    _wait_for_stop()
    clock.shutdown(wait=True)
    parts.own_worker.stop()
    return 0


def demo(settings: Settings, args: argparse.Namespace) -> int:
    from leakbot.demo import run_demo
    from leakbot.loading.paths import resolve_files

    files = resolve_files(
        Path.cwd(),
        (args.config, "--config") if args.config else (settings.config_path, "LEAKBOT_CONFIG"),
        (args.playbooks, "--playbooks")
        if args.playbooks
        else (settings.playbooks_dir, "LEAKBOT_PLAYBOOKS"),
        (args.templates, "--templates")
        if args.templates
        else (settings.templates_dir, "LEAKBOT_TEMPLATES"),
    )
    checked = bootstrap.check_setup(files)
    if checked.problems:
        raise ProblemsFound(checked.problems + checked.warnings)
    return run_demo(args.out, files=files, keep=args.keep)


def playbook_check(settings: Settings, args: argparse.Namespace) -> int:
    import dataclasses

    from leakbot.loading.paths import InUse

    files = bootstrap.files_in_use(settings)
    if args.paths:  # named on the command line: these, in place of the folder in use
        named = Path(", ".join(str(p) for p in args.paths))  # as the files line shows them
        files = dataclasses.replace(files, playbooks=InUse("playbooks", named, "the command line"))
    checked = bootstrap.check_setup(files, args.paths)
    if checked.problems:
        raise ProblemsFound(checked.problems + checked.warnings)
    for line in files.describe():
        print(line)
    for warning in checked.warnings:
        print(warning, file=sys.stderr)
    names = ", ".join(p.source or p.id for p in checked.playbooks)
    print(f"{len(checked.playbooks)} playbook(s) valid with this config and templates: {names}")
    return 0


def doctor(settings: Settings, args: argparse.Namespace) -> int:
    """A real deployment checked, one line per check (CONTRACT §1)."""
    from leakbot.slack.client import make_client
    from leakbot.slack.doctor import Check, slack_checks
    from leakbot.slack.manifest import bot_scopes

    settings.require("doctor", "SLACK_BOT_TOKEN")
    setup = bootstrap.load_setup(settings)
    for line in setup.files.describe() if setup.files else ():
        print(line)
    assert settings.bot_token is not None
    client = make_client(settings.bot_token, settings.api_url, retries=1)
    checks = list(slack_checks(client, setup.config, bot_scopes()))
    checks.append(Check("database", *_database_check(settings.database_url)))
    for check in checks:
        print(check)
    return 0 if all(c.ok for c in checks) else 1


def _database_check(url: str) -> tuple[bool, str]:
    from leakbot.operator_errors import explain
    from leakbot.store.db import open_existing, schema_revision

    shown = _safe_url(url)
    try:
        engine = open_existing(url)
        try:
            revision, _ = schema_revision(engine)
        finally:
            engine.dispose()
    except UserError as e:
        return False, str(e)
    except Exception as e:  # the database's own refusal, put in words by the CLI's translation
        message = explain(e, url)
        if message is None:
            raise
        return False, message
    return True, f"{shown} is reachable and up to date (revision {revision})"


def db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    bootstrap.open_database(settings.database_url)
    print(f"database is up to date ({_safe_url(settings.database_url)})")
    return 0


def _safe_url(url: str) -> str:
    from leakbot.store.db import parse_url

    return parse_url(url).render_as_string(hide_password=True)


def _out_folder(out: Path) -> Path:
    """``--out``: a folder, created if missing; never an existing file."""
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file; name a folder (it is created if missing)")
    return out


def notices_export(settings: Settings, args: argparse.Namespace) -> int:
    from leakbot.domain.incident import parse_ref
    from leakbot.notices.files import notice_file
    from leakbot.services.notices import latest_notices

    number = parse_ref(args.incident)
    out = _out_folder(args.out)
    deps = bootstrap.offline_deps(settings)
    found = latest_notices(deps, number)
    if not found.drafts:
        raise UserError(f"{found.incident.ref} has no notice drafted yet")
    out.mkdir(parents=True, exist_ok=True)
    for draft in found.drafts:
        name, content = notice_file(
            found.incident, draft, args.format, author=deps.config.company.name
        )
        (out / name).write_bytes(content)
        print(out / name)
    return 0


def audit_verify(settings: Settings, args: argparse.Namespace) -> int:
    from leakbot.domain.incident import format_ref, parse_ref
    from leakbot.services.integrity import check_incident

    number = parse_ref(args.incident)
    problems = check_incident(bootstrap.stored_record(settings), number)
    if problems:
        shown = problems if len(problems) <= 3 else [*problems[:2], f"and {len(problems) - 2} more"]
        for p in shown:
            print(f"{format_ref(number)}: {p}")
        return 1
    print(
        f"{format_ref(number)}: the audit log is intact, and every evidence file matches its hash"
    )
    return 0


def dossier(settings: Settings, args: argparse.Namespace) -> int:
    if args.dossier_command == "verify":
        return dossier_verify(args.zip)
    return dossier_export(settings, args)


def dossier_export(settings: Settings, args: argparse.Namespace) -> int:
    from leakbot.domain.incident import parse_ref
    from leakbot.dossier.export import write_dossier

    number = parse_ref(args.incident)
    out = _out_folder(args.out)
    deps = bootstrap.offline_deps(settings)
    path = write_dossier(deps, number, out, names=_names(settings))
    print(path)
    return 0


def _names(settings: Settings) -> Any:
    """People's names from Slack when a bot token is set; otherwise user ids stand."""
    if not settings.bot_token:
        return None
    from leakbot.slack.client import make_client
    from leakbot.slack.user_names import slack_names

    return slack_names(make_client(settings.bot_token, settings.api_url))


def dossier_verify(path: Path) -> int:
    from leakbot.dossier.verify import verify_dossier

    if not path.is_file():
        raise UserError(f"{path}: no such file")
    problems = verify_dossier(path)
    if problems:
        print(f"{path}: {problems[0]}")
        for p in problems[1:]:
            print(f"  also: {p}")
        return 1
    print(f"{path}: intact — every file matches its SHA-256 and the audit chain is whole")
    return 0

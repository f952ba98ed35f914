"""The ``leakbot`` command (CONTRACT §1). No business logic: parse, call, map errors to exits.

Exit codes: 0 success; 1 a problem the user can fix (one clear message, no traceback);
2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from leakbot import __version__
from leakbot.domain.errors import Refused
from leakbot.operator_errors import ProblemsFound, UserError, explain


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0 to 65535)")
    return port


#: The WSGI server's threads by default. Each request runs its listener on its own thread and
#: is answered when the listener returns (it only records, within milliseconds), so the few
#: threads the interpreter can run at once do not wait their turn behind a dozen others:
#: measured under load, 4 gave a tighter p99 than 16 (docs/performance.md).
DEFAULT_THREADS = 4


def _threads(text: str) -> int:
    try:
        threads = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number") from None
    if not 1 <= threads <= 512:
        raise argparse.ArgumentTypeError(f"{threads} threads: give 1 to 512")
    return threads


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="leakbot",
        description="Run the response to a leak of confidential material by a supplier, in Slack.",
    )
    p.add_argument("--version", action="version", version=f"leakbot {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = sub.add_parser("serve", help="Slack HTTP mode on a multi-threaded WSGI server")
    serve.add_argument(
        "--host",
        default="0.0.0.0",
        help="address to listen on (default: 0.0.0.0, every interface; 127.0.0.1 for this "
        "machine only)",
    )
    serve.add_argument("--port", type=_port, help="port to listen on (default: $PORT, else 3000)")
    serve.add_argument(
        "--threads",
        type=_threads,
        default=DEFAULT_THREADS,
        help=f"requests served at once, one WSGI worker thread each (default: {DEFAULT_THREADS})",
    )
    serve.add_argument("--no-scheduler", action="store_true", help="run no scheduler here")

    socket = sub.add_parser("socket", help="the same app over Slack Socket Mode")
    socket.add_argument("--no-scheduler", action="store_true", help="run no scheduler here")

    sub.add_parser("scheduler", help="reminders, escalations and retries alone (a clock process)")

    # The worker process that serve and socket start themselves; not listed in the help.
    work = sub.add_parser("work")
    work.add_argument("--line", type=int, required=True, help=argparse.SUPPRESS)
    work.add_argument("--parent", type=int, required=True, help=argparse.SUPPRESS)
    work.add_argument("--no-scheduler", action="store_true", help=argparse.SUPPRESS)

    demo = sub.add_parser("demo", help="the whole leak response, with no Slack account")
    demo.add_argument(
        "--out",
        type=Path,
        help="folder for the drafted notices (default: ./leakbot-demo-notices), and for the "
        "database with --keep",
    )
    demo.add_argument(
        "--keep", action="store_true", help="keep the demo's database (in the --out folder)"
    )
    demo.add_argument(
        "--config",
        type=Path,
        help="play the demo on this config (default: $LEAKBOT_CONFIG, else ./leakbot.yaml, "
        "else the bundled example)",
    )
    demo.add_argument(
        "--playbooks",
        type=Path,
        help="folder of playbooks (default: $LEAKBOT_PLAYBOOKS, else ./playbooks/, else the "
        "bundled ones)",
    )
    demo.add_argument(
        "--templates",
        type=Path,
        help="folder of notice templates (default: $LEAKBOT_TEMPLATES, else ./templates/, "
        "else the bundled ones)",
    )

    playbook = sub.add_parser("playbook", help="playbook tools")
    pb_sub = playbook.add_subparsers(dest="playbook_command", metavar="ACTION", required=True)
    check = pb_sub.add_parser("check", help="validate playbooks (default: the configured folder)")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="playbook files or folders (default: $LEAKBOT_PLAYBOOKS, else ./playbooks/, else "
        "the bundled ones)",
    )

    sub.add_parser(
        "doctor",
        help="check a real deployment: the Slack token and its scopes against manifest.yml, the "
        "config's users, user groups and announce channel, the database",
    )

    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="apply database migrations")

    notices = sub.add_parser("notices", help="notice tools")
    n_sub = notices.add_subparsers(dest="notices_command", metavar="ACTION", required=True)
    export = n_sub.add_parser("export", help="write an incident's latest notice drafts to files")
    export.add_argument("incident", metavar="INCIDENT", help="LEAK-12 or 12")
    export.add_argument(
        "--format",
        choices=("md", "docx"),
        default="docx",
        help="docx (Word, the default) or md (Markdown)",
    )
    export.add_argument(
        "--out", type=Path, default=Path("."), help="folder to write to (default: this folder)"
    )

    audit = sub.add_parser("audit", help="audit log tools")
    a_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = a_sub.add_parser("verify", help="check an incident's audit chain is intact")
    verify.add_argument("incident", metavar="INCIDENT", help="LEAK-12 or 12")

    dossier = sub.add_parser("dossier", help="the dossier: evidence, notices, audit chain")
    d_sub = dossier.add_subparsers(dest="dossier_command", metavar="ACTION", required=True)
    d_export = d_sub.add_parser("export", help="write an incident's dossier as one zip")
    d_export.add_argument("incident", metavar="INCIDENT", help="LEAK-12 or 12")
    d_export.add_argument("--out", type=Path, default=Path("."))
    d_verify = d_sub.add_parser("verify", help="check a dossier offline (no database)")
    d_verify.add_argument("zip", type=Path, metavar="ZIP")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    quiet = args.command in ("demo", "playbook", "notices", "audit", "db", "doctor", "dossier")
    from leakbot import logs, subcommands
    from leakbot.settings import Settings, log_level

    database_url = None
    try:
        logs.configure(log_level("WARNING" if quiet else "INFO"))
        settings = Settings.from_env()
        database_url = settings.database_url
        return subcommands.run(args, settings)
    except ProblemsFound as e:
        for problem in e.problems:
            print(problem, file=sys.stderr)
        return 1
    except (UserError, Refused) as e:
        print(f"leakbot: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the output was cut short (`leakbot demo | head`): nothing to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the exit flush does not fail too
        return 1
    except Exception as e:  # the one place an operator's mistake becomes one line
        message = explain(e, database_url)
        if message is None:
            raise
        print(f"leakbot: {message}", file=sys.stderr)
        return 1

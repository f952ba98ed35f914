"""A whole leakbot on this machine: the stand-in of Slack, the real server, real HTTP.

Used by ``leakbot demo``, the Slack tests and the benchmarks. People act through signed
requests exactly as Slack would send them; the bot answers through the Web API stand-in.
With ``transport="socket"`` the same app is reached over Socket Mode instead: Bolt's Socket
Mode adapter connects to the stand-in's WebSocket endpoint, and people's requests arrive as
envelopes (``world.slack`` has the same methods either way).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import waitress
from waitress.server import BaseWSGIServer

from leakbot import bootstrap
from leakbot.devslack import Reply, SlackRequester, SlackStandIn, User
from leakbot.devslack.envelopes import SocketModeRequester
from leakbot.domain.clock import Clock
from leakbot.loading.paths import bundled_example_config
from leakbot.settings import Settings
from leakbot.slack.http import SERVER_LIMITS, make_wsgi_app

SIGNING_SECRET = "local-signing-secret"

#: The people of the bundled example config, and a reporter.
PEOPLE = (
    User("U0REP00001", "zhang.wei", "Zhang Wei (design engineer)", display_name="Zhang Wei"),
    User("U0SEC00001", "li.na", "Li Na (security)", display_name="Li Na"),
    User("U0LEG00001", "chen.jie", "Chen Jie (legal)", display_name="Chen Jie"),
    User("U0LEG00002", "liu.yang", "Liu Yang (legal)"),
    User("U0PRO00001", "wang.fang", "Wang Fang (procurement)", display_name="Wang Fang"),
    User("U0COM00001", "zhao.min", "Zhao Min (communications)", display_name="Zhao Min"),
)
GROUPS = {"S0LEGAL001": ["U0LEG00002"]}
ANNOUNCE = ("leak-announcements", "C0ANNOUNCE1")


def close_server(server: BaseWSGIServer, thread: threading.Thread | None = None) -> None:
    """Stop a waitress server running in this process: its request threads first, then its
    sockets and its loop. (A request thread that finishes after ``close()`` writes to the
    loop's wake-up pipe, by then a closed descriptor that a new socket of this process may
    already have taken: a stray byte would reach whoever holds it.)"""
    server.task_dispatcher.shutdown(timeout=5)
    for channel in list(server._map.values()):
        channel.close()
    server.close()
    if thread is not None:
        thread.join(timeout=5)


@dataclass
class LocalWorld:
    database_url: str
    config_path: Path | None = None
    timezone: str = "Asia/Shanghai"
    clock: Clock | None = None
    threads: int = 16
    env: Mapping[str, str] = field(default_factory=dict)
    #: the workspace: by default the people, groups and announce channel of the bundled example
    users: tuple[User, ...] = PEOPLE
    usergroups: Mapping[str, list[str]] = field(default_factory=lambda: dict(GROUPS))
    announce: tuple[str, str] | None = ANNOUNCE
    transport: Literal["http", "socket"] = "http"

    def start(self) -> LocalWorld:
        self.standin = SlackStandIn(users=self.users, usergroups=self.usergroups).start()
        if self.announce is not None:
            self.standin.add_channel(self.announce[0], channel_id=self.announce[1])
        self.settings = Settings.from_env(
            {
                "SLACK_BOT_TOKEN": self.standin.token,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_APP_TOKEN": self.standin.app_token,
                "SLACK_API_URL": self.standin.api_url,
                "DATABASE_URL": self.database_url,
                "LEAKBOT_CONFIG": str(self.config_path or bundled_example_config()),
                "LEAKBOT_TIMEZONE": self.timezone,
                **self.env,
            }
        )
        self.setup = bootstrap.load_setup(self.settings)
        self.engine = bootstrap.open_database(self.database_url)
        self.deps = bootstrap.build_deps(self.setup, self.engine, clock=self.clock)
        self.parts = bootstrap.build_slack(
            self.setup, self.deps, engine=self.engine, poll_seconds=0.2
        )
        self.deps = self.parts.deps
        self.parts.own_worker.start()
        self.slack: SlackRequester
        if self.transport == "socket":
            self._connect_socket_mode()
        else:
            self._serve_http()
        return self

    def _connect_socket_mode(self) -> None:
        from leakbot.slack.socket_client import socket_mode_handler

        assert self.settings.app_token is not None
        self.socket = socket_mode_handler(self.parts.app, self.settings.app_token)
        self.socket.connect()  # type: ignore[no-untyped-call]
        self.standin.socket_mode.wait_for_links(1)
        self.url = ""
        self.slack = SocketModeRequester(self.standin)

    def _serve_http(self) -> None:
        from leakbot.store.db import ping

        wsgi = make_wsgi_app(
            self.parts.app, lambda: ping(self.engine), signing_secret=SIGNING_SECRET
        )
        self.server: BaseWSGIServer = waitress.create_server(
            wsgi, host="127.0.0.1", port=0, threads=self.threads, ident="leakbot", **SERVER_LIMITS
        )
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self._thread = threading.Thread(target=self.server.run, name="wsgi", daemon=True)
        self._thread.start()
        self.slack = SlackRequester(self.url, SIGNING_SECRET, standin=self.standin)

    def stop(self) -> None:
        if self.transport == "socket":
            self.socket.close()  # type: ignore[no-untyped-call]
        else:
            close_server(self.server, self._thread)
        self.parts.close()
        self.standin.stop()
        self.engine.dispose()

    def __enter__(self) -> LocalWorld:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- acting as people ----------------------------------------------------------------
    def slash(self, user: str, text: str = "", channel: str = "C0GENERAL01") -> Reply:
        self._mark_views()
        return self.slack.slash_command(user, text, channel_id=channel)

    def _mark_views(self) -> None:
        """Note how many modals were opened before a request that may open one, so that
        ``modal_for`` waits for the new one rather than taking one still open from before
        (the modal opens after the acknowledgement, off the request)."""
        self._views_before = len(self.standin.calls_to("views.open"))

    def click(
        self,
        user: str,
        action_id: str,
        value: str,
        *,
        channel: str | None = None,
        message_ts: str | None = None,
    ) -> Reply:
        self._mark_views()
        kwargs: dict[str, Any] = {}
        if channel:
            kwargs["channel_id"] = channel
        if message_ts:
            kwargs["message_ts"] = message_ts
        return self.slack.block_action(user, action_id, value, **kwargs)

    def modal_for(self, user: str, callback_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The newest open modal ``user`` has with ``callback_id`` (waits for it to open)."""
        deadline = time.monotonic() + timeout
        before = getattr(self, "_views_before", None)
        while True:
            opened = before is None or len(self.standin.calls_to("views.open")) > before
            found = self.standin.views_for(user, callback_id) if opened else []
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {callback_id} modal opened for {user}")
            time.sleep(0.02)

    def submit(self, user: str, view: dict[str, Any], answers: Mapping[str, Any]) -> Reply:
        """Fill ``view``'s inputs with ``answers`` (by action id; initial values are kept
        otherwise) and submit it, as a person pressing the modal's Submit button."""
        values = fill(view, answers)
        reply = self.slack.view_submission(
            user,
            view["callback_id"],
            values,
            private_metadata=view.get("private_metadata", ""),
            view_id=view["id"],
            hash=view["hash"],
            view=view,
        )
        if reply.status == 200 and not (reply.body and b"errors" in reply.body):
            self.standin.close_view(view["id"])
        return reply

    def settle(self, timeout: float = 15.0) -> None:
        """Wait until the bot owes Slack nothing that is due."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            with self.deps.uow() as uow:
                pending = uow.outbox.pending_count() + uow.inbox.pending_count()
            if pending == 0 and not self.parts.own_worker.busy:
                quiet += 1
                if quiet >= 3:  # nothing owed and nothing running, three looks in a row
                    return
            else:
                quiet = 0
                self.parts.own_worker.kick()
            time.sleep(0.02)
        raise TimeoutError("Slack work still pending")

    def checklist(self, number: int) -> tuple[str, str]:
        """(channel id, checklist ts) of incident ``number``."""
        with self.deps.uow() as uow:
            incident = uow.incidents.get(number)
            links = uow.incidents.links(incident.id)  # type: ignore[arg-type]
        assert links.channel_id and links.checklist_ts
        return links.channel_id, links.checklist_ts


def _element_value(element: dict[str, Any], answer: Any) -> dict[str, Any]:
    kind = element["type"]
    if kind in ("static_select", "radio_buttons", "external_select"):
        options = element.get("options") or [
            o for g in element.get("option_groups", []) for o in g["options"]
        ]
        chosen = next((o for o in options if o["value"] == answer), None)
        if chosen is None:
            raise ValueError(f"{answer!r} is not an option")
        return {"type": kind, "selected_option": chosen}
    if kind == "datepicker":
        return {"type": kind, "selected_date": answer}
    if kind == "users_select":
        return {"type": kind, "selected_user": answer}
    if kind == "datetimepicker":
        return {"type": kind, "selected_date_time": int(answer)}
    if kind == "file_input":
        # Slack sends the uploaded files' descriptions (id, name, mimetype, urls, …)
        return {"type": kind, "files": list(answer)}
    return {"type": kind, "value": answer}


def initial_value(element: dict[str, Any]) -> Any:
    """What an input element shows before anyone types or picks (None if nothing)."""
    for key in ("initial_value", "initial_date", "initial_user"):
        if key in element:
            return element[key]
    if "initial_option" in element:
        return element["initial_option"]["value"]
    return None


def fill(view: dict[str, Any], answers: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    values: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        action_id = element["action_id"]
        answer = answers.get(action_id, initial_value(element))
        if answer is None:
            empty: dict[str, Any] = {"type": element["type"], "value": None}
            if element["type"] == "file_input":
                empty = {"type": "file_input", "files": []}
            elif element["type"] == "datetimepicker":
                empty = {"type": "datetimepicker", "selected_date_time": None}
            values[block["block_id"]] = {action_id: empty}
            continue
        values[block["block_id"]] = {action_id: _element_value(element, answer)}
    return values


def response_texts(reply: Reply) -> str:
    """The text of a slash command's immediate answer (blocks flattened)."""
    try:
        body = json.loads(reply.body or b"{}")
    except ValueError:
        return reply.text
    parts = [body.get("text", "")]
    for block in body.get("blocks", []):
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        for f in block.get("fields", []) or []:
            parts.append(f.get("text", ""))
        for e in block.get("elements", []) or []:
            if isinstance(e, dict) and "text" in e:
                parts.append(e["text"] if isinstance(e["text"], str) else e["text"].get("text", ""))
    return "\n".join(p for p in parts if p)

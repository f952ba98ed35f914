"""SlackStandIn: a loopback HTTP server that answers leakbot's Web API calls like Slack does.

leakbot's tests, ``leakbot demo`` and the benchmarks point the real ``WebClient`` at it through
``SLACK_API_URL``. Every call is recorded and checked against ``methods.json``; a call Slack
would refuse is refused here too, and listed in ``violations`` so a test can fail on it.
Every ``blocks`` and ``view`` it receives (Web API calls, response_url posts, and the
acknowledgements a ``SlackRequester`` gets back) is checked against Slack's Block Kit rules
(``blockkit``); what breaks them is refused as Slack refuses it and listed in
``blockkit_violations`` (which ``violations`` includes).

``apps.connections.open`` (app-level token only) opens Socket Mode: the WebSocket endpoint in
``socket_mode`` then carries Slack's requests to the app as envelopes.
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, Self

from . import (
    api_chat,
    api_conversations,
    api_files,
    api_people,
    api_views,
    blockkit,
    methods,
    wire,
)
from .apierror import ApiError
from .faults import Fault, Faults
from .installed_app import granted_scopes
from .responses import receive_response
from .socket_mode import Envelope, SocketModeEndpoint
from .workspace import (
    Channel,
    Ephemeral,
    Message,
    ResponsePost,
    ResponseTarget,
    StoredFile,
    User,
    Workspace,
)

#: How long the stand-in keeps an idle connection open, in seconds.
IDLE_SECONDS = 30.0

#: Methods called with the app-level token (``xapp-…``) rather than the bot token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})

HANDLERS = {
    **api_chat.HANDLERS,
    **api_conversations.HANDLERS,
    **api_files.HANDLERS,
    **api_people.HANDLERS,
    **api_views.HANDLERS,
}


@dataclass(frozen=True)
class Call:
    """One Web API call as received (token left out) and the answer it got."""

    method: str
    args: dict[str, Any]
    at: float
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return None if self.ok else self.response.get("error")


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, status: int, payload: Mapping[str, Any], **headers: str) -> Answer:
        return cls(status, json.dumps(payload).encode(), headers=tuple(headers.items()))

    @classmethod
    def text(cls, status: int, text: str) -> Answer:
        return cls(status, text.encode(), "text/plain; charset=utf-8")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    #: Slack keeps connections alive between calls: so does the stand-in, closing one left
    #: idle this long (as servers do), or at once when asked to (``Connection: close``)
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS
    #: each answer leaves in one write (flushed after it), and Nagle's algorithm is off: on a
    #: kept-alive connection, headers and body written apart waited 40 ms for the caller's
    #: delayed ACK of the first, a wait no real server makes its callers pay
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        answer = self.server.standin._answer(self.command, self.path, headers, body)
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        for key, value in answer.headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(answer.body)

    do_GET = _serve
    do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines carry channel ids and file names."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    #: Slack accepts every connection at once; socketserver's default backlog of 5 would drop
    #: the SYN of a sixth concurrent caller, which then waits a second to try again
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], standin: SlackStandIn) -> None:
        self.standin = standin
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        #: connections accepted since start (a kept-alive client opens one for many calls)
        self.accepted = 0
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
            self.accepted += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        """Close every open connection, as a server going away does (kept-alive ones too)."""
        with self._open_lock:
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A caller that hung up before its answer (a client stopped mid-call) is no error of
        the stand-in's; anything else is printed, as socketserver does."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _users(users: Iterable[User | str]) -> list[User]:
    return [u if isinstance(u, User) else User(id=u, name=u.lower()) for u in users]


class SlackStandIn:
    """Slack's Web API on 127.0.0.1, with a workspace in memory and faults on demand."""

    def __init__(
        self,
        *,
        token: str = "xoxb-leakbot-stand-in",
        app_token: str = "xapp-1-A0LEAKBOT1-1-stand-in",
        users: Iterable[User | str] = (),
        usergroups: Mapping[str, Sequence[str]] | None = None,
        team_id: str = "T0LEAKBOT1",
        bot_user_id: str = "U0LEAKBOT1",
        bot_id: str = "B0LEAKBOT1",
        app_id: str = "A0LEAKBOT1",
        host: str = "127.0.0.1",
        scopes: Iterable[str] | None = None,
    ) -> None:
        self.token = token
        #: the bot scopes granted to ``token`` (default: those ``manifest.yml`` declares); sent
        #: in ``x-oauth-scopes`` as Slack does, and a method needing none of them is refused
        self.scopes: tuple[str, ...] = tuple(scopes if scopes is not None else granted_scopes())
        self.app_token = app_token
        self.host = host
        self.port = 0
        self.workspace = Workspace(
            team_id=team_id, bot_user_id=bot_user_id, bot_id=bot_id, app_id=app_id
        )
        for user in _users(users):
            self.add_user(user)
        for group_id, members in (usergroups or {}).items():
            self.add_usergroup(group_id, members)
        self.faults = Faults()
        self._calls: list[Call] = []
        self._agents: list[tuple[str, str]] = []
        self._violations: list[str] = []
        self._blockkit: list[str] = []
        self._record_lock = threading.Lock()
        self._down: Literal["unavailable", "refuse"] | None = None
        #: when set, private downloads answer as to a signed-out browser (a login page)
        self.signed_out_downloads = False
        self._server: _Server | None = None
        self._accepted_before = 0
        self._thread: threading.Thread | None = None
        self._socket_mode: SocketModeEndpoint | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        self._listen(0)
        return self

    def stop(self) -> None:
        self._close()
        if self._socket_mode is not None:
            self._socket_mode.stop()  # what it saw stays readable
        self._down = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _listen(self, port: int) -> None:
        server = _Server((self.host, port), self)
        self._server = server
        self.port = server.server_address[1]
        self.workspace.origin = self.origin
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def _close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.drop_connections()
            self._accepted_before += self._server.accepted
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def drop_connections(self) -> None:
        """Close every open connection, kept-alive idle ones included, as Slack closes a
        connection left idle: the caller finds out only when it next uses it."""
        if self._server is not None:
            self._server.drop_connections()

    @property
    def connections_accepted(self) -> int:
        """Connections callers have opened to the Web API since start (each kept alive for
        as many calls as its caller sends on it)."""
        current = self._server.accepted if self._server is not None else 0
        return self._accepted_before + current

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.origin}/api/"

    @property
    def socket_mode(self) -> SocketModeEndpoint:
        """The Socket Mode WebSocket endpoint, started on first use."""
        with self._record_lock:
            if self._socket_mode is None:
                self._socket_mode = SocketModeEndpoint(
                    self.workspace.app_id, host=self.host, check_ack=self._check_ack
                ).start()
            return self._socket_mode

    def _check_ack(self, envelope: Envelope, payload: dict[str, Any]) -> list[str]:
        """Every Socket Mode acknowledgement's payload, checked as Slack reads it: a command's
        answer, a modal's ``response_action``… (an interaction by its payload's ``type``)."""
        kind: str = envelope.type
        submitted = None
        if kind == "interactive":
            kind = str(envelope.payload.get("type") or kind)
            view = envelope.payload.get("view")
            submitted = view if kind == "view_submission" and isinstance(view, dict) else None
        return self.check_acknowledgement(kind, json.dumps(payload), submitted)

    # -- the workspace -----------------------------------------------------------------------

    @property
    def team_id(self) -> str:
        return self.workspace.team_id

    @property
    def bot_user_id(self) -> str:
        return self.workspace.bot_user_id

    def add_user(self, user: User | str) -> User:
        (made,) = _users([user])
        with self.workspace.lock:
            self.workspace.users[made.id] = made
        return made

    def add_usergroup(self, group_id: str, members: Iterable[str], disabled: bool = False) -> None:
        with self.workspace.lock:
            self.workspace.usergroups[group_id] = list(members)
            if disabled:
                self.workspace.disabled_usergroups.add(group_id)
            else:
                self.workspace.disabled_usergroups.discard(group_id)

    def add_channel(
        self,
        name: str,
        *,
        channel_id: str | None = None,
        is_private: bool = False,
        members: Iterable[str] = (),
        bot_is_member: bool = True,
    ) -> Channel:
        """A channel that exists before leakbot runs, such as the announce channel."""
        ws = self.workspace
        with ws.lock:
            people = ([ws.bot_user_id] if bot_is_member else []) + list(members)
            channel = Channel(
                id=channel_id or ws.new_id("C"),
                name=name,
                is_private=is_private,
                creator=ws.bot_user_id,
                created=int(time.time()),
                members=list(dict.fromkeys(people)),
            )
            ws.channels[channel.id] = channel
        return channel

    def user_upload(self, user_id: str, name: str, content: bytes) -> dict[str, Any]:
        """A file a person uploads (in a modal's file input, or to a message): stored as Slack
        stores it, and described as Slack's payloads describe it."""
        ws = self.workspace
        with ws.lock:
            stored = StoredFile(
                id=ws.new_id("F"),
                name=name,
                length=len(content),
                user=user_id,
                created=int(time.time()),
                content=content,
                completed=True,
            )
            ws.files[stored.id] = stored
            return stored.as_slack(ws.origin)

    def post_as(
        self, user_id: str, channel: str, text: str, files: Iterable[str] = ()
    ) -> dict[str, Any]:
        """A message a person posts (with files already uploaded), as Slack shows it in a
        message shortcut's payload."""
        ws = self.workspace
        with ws.lock:
            found = ws.channels[channel]
            message = Message(
                channel=found.id, ts=ws.next_ts(), user=user_id, text=text, files=list(files)
            )
            found.messages.append(message)
            for file_id in message.files:
                ws.files[file_id].channels.append(found.id)
        return self.message_payload(channel, message.ts)

    def message_payload(self, channel: str, ts: str) -> dict[str, Any]:
        ws = self.workspace
        with ws.lock:
            message = ws.channels[channel].message(ts)
            assert message is not None
            shown = message.as_slack()
            if message.files:
                shown["files"] = [ws.files[f].as_slack(ws.origin) for f in message.files]
            return shown

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger_id as Slack puts in an interaction: one views.open within 3 seconds."""
        with self.workspace.lock:
            return self.workspace.issue_trigger(user_id)

    @property
    def trigger_ttl(self) -> float:
        return self.workspace.trigger_ttl

    @trigger_ttl.setter
    def trigger_ttl(self, seconds: float) -> None:
        self.workspace.trigger_ttl = seconds

    def new_response_url(self, user_id: str | None = None, channel_id: str | None = None) -> str:
        with self.workspace.lock:
            target = ResponseTarget(self.workspace.new_id("R"), user_id, channel_id)
            self.workspace.response_targets[target.id] = target
        return f"{self.origin}/respond/{target.id}"

    # -- queries -----------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._record_lock:
            return list(self._calls)

    @property
    def agents(self) -> list[tuple[str, str]]:
        """Every request received (Web API calls, response_url posts, uploads, downloads):
        its path and the User-Agent it came with."""
        with self._record_lock:
            return list(self._agents)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    @property
    def violations(self) -> list[str]:
        """Everything Slack would refuse or warn about, Block Kit included."""
        with self._record_lock:  # the two locks are never held together: no lock order
            recorded, found = list(self._violations), list(self._blockkit)
            socket_mode = self._socket_mode
        if socket_mode is not None:
            recorded += socket_mode.violations
        with self.workspace.lock:
            notes = list(self.workspace.notes)
        return recorded + notes + found

    @property
    def blockkit_violations(self) -> list[str]:
        """Block Kit rules broken by any surface received (a subset of ``violations``)."""
        with self._record_lock:
            return list(self._blockkit)

    def record_blockkit(self, where: str, problems: Iterable[object]) -> list[str]:
        """Record Block Kit problems found in ``where`` (a method, a response_url, an
        acknowledgement…) and return them as recorded."""
        lines = [f"{where}: {p}" for p in problems]
        with self._record_lock:
            self._blockkit.extend(lines)
        return lines

    def check_acknowledgement(
        self,
        request_type: str,
        body: bytes | str | None,
        submitted: Mapping[str, Any] | None = None,
    ) -> list[str]:
        """Check the body leakbot acknowledged a request with, as Slack reads it (see
        ``blockkit.validate_ack``; ``submitted`` is the view of a view_submission), and record
        what breaks the rules. A body that is not JSON is a command's plain-text answer."""
        raw = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        if not raw:
            return []
        try:
            parsed: Any = json.loads(raw)
        except json.JSONDecodeError:
            parsed = raw
        problems = blockkit.validate_ack(request_type, parsed, submitted)
        return self.record_blockkit(f"acknowledgement of {request_type}", problems)

    def assert_clean(self) -> None:
        found = self.violations
        if found:
            raise AssertionError(
                f"{len(found)} call(s) Slack would refuse:\n" + "\n".join(f"- {v}" for v in found)
            )

    def messages(self, channel: str) -> list[Message]:
        with self.workspace.lock:
            found = self.workspace.channels.get(channel) or self.channel_by_name(channel)
            return list(found.messages) if found else []

    def channel_by_name(self, name: str) -> Channel | None:
        with self.workspace.lock:
            return self.workspace.channel_named(name.lstrip("#"))

    def ephemerals(self, user: str) -> list[Ephemeral]:
        with self.workspace.lock:
            return [e for e in self.workspace.ephemerals if e.user == user]

    def dms(self, user: str) -> list[Message]:
        with self.workspace.lock:
            dm = self.workspace.existing_dm(user)
            return list(dm.messages) if dm else []

    def files_for(self, user: str) -> list[StoredFile]:
        """Files shared into the bot's DM with ``user``, bytes included."""
        with self.workspace.lock:
            dm = self.workspace.existing_dm(user)
            if dm is None:
                return []
            return [f for f in self.workspace.files.values() if dm.id in f.channels]

    def file(self, file_id: str) -> StoredFile | None:
        with self.workspace.lock:
            return self.workspace.files.get(file_id)

    def published_home(self, user: str) -> dict[str, Any] | None:
        with self.workspace.lock:
            view = self.workspace.home.get(user)
            return dict(view.definition) if view else None

    @property
    def open_views(self) -> list[dict[str, Any]]:
        """Modals opened, pushed or updated and not closed, in the shape Slack returned them."""
        ws = self.workspace
        with ws.lock:
            return [
                v.as_slack(ws.team_id, ws.app_id, ws.bot_id)
                for v in ws.views.values()
                if not v.closed
            ]

    def views_for(
        self, user: str | None, callback_id: str, exclude: set[str] | frozenset[str] = frozenset()
    ) -> list[dict[str, Any]]:
        """Open modals with ``callback_id`` (of ``user``, unless None), oldest first, leaving out
        the view ids in ``exclude``; in the shape Slack returned them."""
        ws = self.workspace
        with ws.lock:
            return [
                v.as_slack(ws.team_id, ws.app_id, ws.bot_id)
                for v in ws.views.values()
                if not v.closed
                and (user is None or v.user == user)
                and v.definition.get("callback_id") == callback_id
                and v.id not in exclude
            ]

    def close_view(self, view_id: str) -> None:
        """What a submission or a click on Cancel does to a modal in Slack's client."""
        with self.workspace.lock:
            view = self.workspace.views.get(view_id)
            if view is not None:
                view.closed = True

    @property
    def responses(self) -> list[ResponsePost]:
        with self.workspace.lock:
            return list(self.workspace.response_posts)

    # -- faults ------------------------------------------------------------------------------

    @property
    def latency(self) -> float:
        return self.faults.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.faults.latency = seconds

    def fail(
        self,
        method: str,
        error: str = "ratelimited",
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` ("*" for any) with this failure."""
        self.faults.add(Fault(method, error, status, retry_after, times))

    def go_down(self, mode: Literal["unavailable", "refuse"] = "unavailable") -> None:
        """Every call gets HTTP 503, or with ``mode="refuse"`` connections are refused."""
        if mode == "refuse" and self._server is not None:
            self._close()
        self._down = mode

    def come_back(self) -> None:
        if self._down == "refuse":
            self._listen(self.port)
        self._down = None

    # -- answering ---------------------------------------------------------------------------

    def _answer(self, verb: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """Route one request; ``headers`` have lower-case names."""
        with self._record_lock:
            self._agents.append((path.partition("?")[0], headers.get("user-agent", "")))
        if self.faults.latency > 0:
            time.sleep(self.faults.latency)
        route, _, query = path.partition("?")
        parts = route.split("/", 2) + ["", ""]
        section, rest = parts[1], parts[2]
        if self._down == "unavailable":
            answer = Answer.json(503, {"ok": False, "error": "service_unavailable"})
            if section == "api":
                self._record(rest, {}, answer.status, {"ok": False, "error": "service_unavailable"})
            return answer
        if section == "api" and rest:
            return self._api_call(rest, headers, body, query)
        with self.workspace.lock:
            if section == "upload" and verb == "POST":
                content = wire.upload_content(headers.get("content-type"), body)
                accepted = api_files.receive_upload(self.workspace, rest, content)
                return Answer.text(200, f"OK - {len(content)}") if accepted else _NOT_FOUND
            if section == "respond" and verb == "POST":
                return self._response_post(rest, body)
            if section == "files" and verb == "GET":
                return self._download(rest.split("/", 1)[0], headers)
        return _NOT_FOUND

    def _api_call(self, method: str, headers: Mapping[str, str], body: bytes, query: str) -> Answer:
        try:
            request = wire.read_api_request(
                headers.get("content-type"), headers.get("authorization"), body, query
            )
        except ApiError as err:
            self._record(method, {}, 200, err.body())
            return Answer.json(200, err.body())
        problems = methods.violations(
            method,
            request.args,
            has_token=request.token is not None,
            json_body=request.json_body,
        )
        status, payload, extra = self._decide(method, request, problems)
        self._record(method, request.args, status, payload, problems)
        return Answer.json(status, payload, **extra)

    def _blockkit_refusal(self, method: str, request: wire.ApiRequest) -> dict[str, Any] | None:
        verdict = blockkit.check_call(method, request.args)
        if verdict.violations:
            with self._record_lock:
                self._blockkit.extend(verdict.violations)
        return verdict.refusal

    def _decide(
        self, method: str, request: wire.ApiRequest, problems: list[str]
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        fault = self.faults.take(method)
        if fault is not None:
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return fault.status, {"ok": False, "error": fault.error}, extra
        handler = HANDLERS.get(method)
        known = handler is not None or method in APP_TOKEN_METHODS
        if not known or method not in methods.load_methods():
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if request.token is None:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if method in APP_TOKEN_METHODS:
            return self._app_level(method, request)
        if request.token == self.app_token:
            return 200, {"ok": False, "error": "not_allowed_token_type"}, {}
        if request.token != self.token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        spec = methods.load_methods()[method]
        scopes = {
            "x-oauth-scopes": ",".join(self.scopes),
            "x-accepted-oauth-scopes": ",".join(spec.bot_scopes),
        }
        if spec.bot_scopes and not set(spec.bot_scopes) & set(self.scopes):
            # Slack's answer when the token has none of the scopes the method accepts (which
            # one it needs may depend on the arguments; any accepted one is enough here)
            needed = {"needed": spec.bot_scopes[0], "provided": ",".join(self.scopes)}
            return 200, {"ok": False, "error": "missing_scope", **needed}, scopes
        if problems:
            return 200, {"ok": False, "error": "invalid_arguments"}, scopes
        assert handler is not None
        refusal = self._blockkit_refusal(method, request)
        if refusal is not None:
            return 200, refusal, scopes
        with self.workspace.lock:
            try:
                return 200, {"ok": True, **handler(self.workspace, request.args)}, scopes
            except ApiError as err:
                return 200, err.body(), scopes

    def _app_level(
        self, method: str, request: wire.ApiRequest
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Methods that take the app-level token (``xapp-…``) and no other."""
        if request.token == self.token or not (request.token or "").startswith("xapp-"):
            return 200, {"ok": False, "error": "not_allowed_token_type"}, {}
        if request.token != self.app_token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        if not request.token_in_header:
            with self._record_lock:
                self._violations.append(
                    f"{method}: app-level token sent as a parameter; Slack asks for the "
                    "Authorization header"
                )
        return 200, {"ok": True, "url": self.socket_mode.open_url()}, {}

    def _record(
        self,
        method: str,
        args: dict[str, Any],
        status: int,
        payload: dict[str, Any],
        problems: Iterable[str] = (),
    ) -> None:
        with self._record_lock:
            self._calls.append(Call(method, args, time.time(), status, payload))
            self._violations.extend(problems)

    def _response_post(self, url_id: str, body: bytes) -> Answer:
        try:
            payload = json.loads(body or b"{}")
        except json.JSONDecodeError:
            return Answer.text(400, "invalid_payload")
        if not isinstance(payload, dict):
            return Answer.text(400, "invalid_payload")
        problems = blockkit.check_response(payload)
        if problems:
            self.record_blockkit(f"response_url {url_id}", problems)
            return Answer.text(400, "invalid_blocks")
        status, text = receive_response(self.workspace, url_id, payload)
        return Answer.text(status, text)

    def _download(self, file_id: str, headers: Mapping[str, str]) -> Answer:
        # Slack answers a private download without a valid token with its sign-in page and
        # status 200, not with an error: so does the stand-in, and leakbot must notice.
        if self.signed_out_downloads:
            return Answer(200, _LOGIN_PAGE, "text/html; charset=utf-8")
        if headers.get("authorization", "") != f"Bearer {self.token}":
            self.workspace.notes.append(f"download {file_id}: no valid bot token sent")
            return Answer(200, _LOGIN_PAGE, "text/html; charset=utf-8")
        stored = self.workspace.files.get(file_id)
        if stored is None or not stored.completed or stored.content is None:
            return _NOT_FOUND
        return Answer(200, stored.content, stored.mimetype)


_NOT_FOUND = Answer.text(404, "not_found")
_LOGIN_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en-US"><head><title>Slack</title></head>'
    b"<body><h1>Sign in to your workspace</h1></body></html>\n"
)

"""Slack's Web API, ``response_url`` and file downloads on kept-alive connections.

slack_sdk's synchronous clients (``WebClient``, ``WebhookClient``) send each call with
``urllib.request.urlopen``, and urllib opens a new connection for every request and closes it
after (it sends ``Connection: close``). Against Slack that is, for every ``views.open``, a TCP
and a TLS handshake — one or two round trips more before the call reaches Slack, on a trigger
that expires 3 s after the click — and the processor time of both ends of the handshake.

``keep_alive()`` makes ``urlopen`` keep each thread's connection to each host open for that
thread's next request, through urllib's own way to change what ``urlopen`` does
(``urllib.request.install_opener``), so slack_sdk is used unchanged, its retry handlers
included. A connection is used again only when:

- the server did not say it would close it (``Connection: close``, HTTP/1.0);
- the answer before was read to its end (one abandoned half-read would be read as the next);
- it still reads as idle: a server that closed an idle connection, as servers do after a while,
  has left it readable, so a new one is opened instead of sending into a closed one.

If a server closes a connection just as a request is sent on it, the call fails as a dropped
connection does today, and slack_sdk's ``ConnectionErrorRetryHandler`` tries it again.
Requests through a proxy, and ``urlopen`` calls given their own SSL context, are left to urllib
as before (new connection each time). Threads keep their connections to themselves, so no
connection is ever shared, and at most ``HOSTS`` each (the oldest is closed first).
"""

from __future__ import annotations

import http.client
import select
import threading
import urllib.request
from typing import Any
from urllib.error import URLError

#: Hosts a thread keeps a connection to (slack.com, hooks.slack.com, files.slack.com, …).
HOSTS = 4

_installed = threading.Lock()
_done = False


class _Response(http.client.HTTPResponse):
    """Knows whether it was closed before its end: its connection then holds the rest."""

    cut_short = False

    def close(self) -> None:
        if not self.isclosed():
            self.cut_short = True
        super().close()


class _HTTPConnection(http.client.HTTPConnection):
    response_class = _Response


class _HTTPSConnection(http.client.HTTPSConnection):
    response_class = _Response


Connection = _HTTPConnection | _HTTPSConnection


class _Kept(threading.local):
    """One thread's open connections, by scheme and host, each with its last answer."""

    def __init__(self) -> None:
        self.open: dict[tuple[str, str], tuple[Connection, _Response]] = {}


def _idle(connection: Connection) -> bool:
    """True while nothing can be read on the connection: the server has neither closed it nor
    sent anything no request asked for."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        poller = select.poll()
        poller.register(sock, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
    except (OSError, ValueError):
        return False


class KeptConnections:
    """Opens requests on the calling thread's kept connection to their host, or a new one."""

    def __init__(self) -> None:
        self._kept = _Kept()

    def open(self, scheme: str, req: urllib.request.Request) -> _Response:
        key = (scheme, req.host)
        connection = self._reusable(key)
        if connection is None:
            factory = _HTTPSConnection if scheme == "https" else _HTTPConnection
            connection = factory(req.host, timeout=req.timeout)
        elif connection.timeout != req.timeout:
            connection.timeout = req.timeout
            if connection.sock is not None:
                connection.sock.settimeout(req.timeout)
        headers = dict(req.unredirected_hdrs)
        headers.update({k: v for k, v in req.headers.items() if k not in headers})
        headers = {name.title(): value for name, value in headers.items()}
        try:
            try:
                connection.request(
                    req.get_method(),
                    req.selector,
                    req.data,
                    headers,
                    encode_chunked=req.has_header("Transfer-encoding"),
                )
            except OSError as err:  # as urllib's own handler reports it
                raise URLError(err) from err
            response = connection.getresponse()
        except BaseException:
            connection.close()
            raise
        assert isinstance(response, _Response)
        if not response.will_close:
            self._keep(key, connection, response)
        # what urllib's handler sets for the rest of urllib (error handlers, geturl)
        response.url = req.get_full_url()
        response.msg = response.reason  # type: ignore[assignment]
        return response

    def _reusable(self, key: tuple[str, str]) -> Connection | None:
        kept = self._kept.open.pop(key, None)
        if kept is None:
            return None
        connection, last = kept
        if last.isclosed() and not last.cut_short and _idle(connection):
            return connection
        connection.close()
        return None

    def _keep(self, key: tuple[str, str], connection: Connection, response: _Response) -> None:
        kept = self._kept.open
        kept[key] = (connection, response)
        while len(kept) > HOSTS:
            oldest = next(iter(kept))
            kept.pop(oldest)[0].close()


class KeptHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, kept: KeptConnections) -> None:
        super().__init__()
        self._kept = kept

    def http_open(self, req: urllib.request.Request) -> Any:
        if req.has_proxy():
            return super().http_open(req)
        return self._kept.open("http", req)


class KeptHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, kept: KeptConnections) -> None:
        super().__init__()
        self._kept = kept

    def https_open(self, req: urllib.request.Request) -> Any:
        if req.has_proxy():
            return super().https_open(req)
        return self._kept.open("https", req)


def keep_alive() -> None:
    """From now on, ``urlopen`` in this process keeps connections alive (once per process)."""
    global _done
    with _installed:
        if _done:
            return
        kept = KeptConnections()
        opener = urllib.request.build_opener(KeptHTTPHandler(kept), KeptHTTPSHandler(kept))
        urllib.request.install_opener(opener)
        _done = True

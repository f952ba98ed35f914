"""The HTTP edge in front of Bolt: size, signature, then shape — before anything is parsed.

Bolt's WSGI adapter reads the whole body, decodes it and parses it (``payload=`` as JSON)
before its own signature check runs, so a huge or malformed body from anyone on the internet
would be read whole, parsed, and could end in an HTTP 500. Here, in this order:

1. A body larger than ``MAX_BODY_BYTES`` gets 413 without being read past that limit
   (``Content-Length`` is checked first; a body without one is read at most one byte past it).
2. The signature (``X-Slack-Signature``, ``X-Slack-Request-Timestamp``, 5 minutes) is checked
   with slack_sdk's ``SignatureVerifier``: missing, malformed, stale or wrong gets 401 (a body
   that is not UTF-8, which the verifier cannot read and Slack never sends, gets 400).
3. Only then is the body decoded and parsed: invalid UTF-8, a ``payload=`` that is not a JSON
   object, a JSON body that is not an object, or a request without what its kind always
   carries (``leakbot.slack.envelope_checks``) gets 400.

Each refusal is one short log line (status and reason), never the body. What passes goes to
Bolt with exactly the bytes that were read, and the request as parsed here (``PARSED``), so
Bolt does not parse it again (``leakbot.slack.http``).
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

from leakbot.slack.envelope_checks import problem

log = logging.getLogger(__name__)

#: The largest body leakbot reads: 2 MiB. The largest requests Slack sends are
#: ``view_submission`` payloads: the submitted view (Slack refuses views over 250 KB,
#: ``view_too_large``) plus the state of its inputs (Slack caps a text input at 3,000
#: characters; leakbot's modals hold at most a few dozen), form-encoded, which can triple the
#: bytes of non-ASCII text. That stays under 1.5 MB; a slash command is under 8 KB and an event
#: under 200 KB (message text is at most 40,000 characters).
MAX_BODY_BYTES = 2 * 1024 * 1024
#: The key of a checked request's ``environ`` that holds its body as parsed: a form's fields
#: (or its ``payload``'s object), or a JSON body's object, as Bolt's own ``parse_body`` makes
#: them, so Bolt is handed them rather than parsing the body a second time.
PARSED = "leakbot.parsed_body"
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Refusal(Exception):
    status: int
    reason: str

    @property
    def status_line(self) -> str:
        return {
            400: "400 Bad Request",
            401: "401 Unauthorized",
            411: "411 Length Required",
            413: "413 Content Too Large",
        }[self.status]


def read_body(environ: Mapping[str, Any], limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refused (413) past ``limit`` without reading it all."""
    length_text = str(environ.get("CONTENT_LENGTH") or "").strip()
    stream = environ.get("wsgi.input")
    if length_text:
        if not length_text.isdigit():
            raise Refusal(400, "bad Content-Length")
        length = int(length_text)
        if length > limit:
            raise Refusal(413, "body too large")
        body = stream.read(length) if stream is not None and length else b""
        if len(body) != length:
            raise Refusal(400, "body shorter than its Content-Length")
        return bytes(body)
    if stream is None:
        return b""
    # No length (chunked, or a server that removed it): read at most one byte past the limit.
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    if total > limit:
        raise Refusal(413, "body too large")
    return b"".join(parts)


def check_signature(verifier: SignatureVerifier, environ: Mapping[str, Any], body: bytes) -> None:
    """401 unless the body is signed with the signing secret within the last five minutes."""
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
    if not timestamp or not signature:
        raise Refusal(401, "no signature")
    if not _TIMESTAMP.match(timestamp) or not _SIGNATURE.match(signature):
        raise Refusal(401, "malformed signature headers")
    try:
        valid = verifier.is_valid(body, timestamp, signature)
    except UnicodeDecodeError:  # the verifier decodes the body; Slack only sends UTF-8
        raise Refusal(400, "body is not UTF-8") from None
    if not valid:
        raise Refusal(401, "bad or stale signature")


def check_shape(environ: Mapping[str, Any], body: bytes) -> dict[str, Any]:
    """The request, parsed as Bolt parses it (``PARSED``), once it is checked: 400 unless the
    body is UTF-8, its JSON (if any) an object, and the request has the shape of its kind
    (``leakbot.slack.envelope_checks.problem``): Bolt reads some fields before any listener or
    middleware of leakbot runs, and must not meet a malformed one."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(400, "body is not UTF-8") from None
    content_type = str(environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if content_type == "application/json":
        request = _json_object(text)
    else:
        try:
            fields = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text))
        except ValueError:
            raise Refusal(400, "body is not form-encoded") from None
        request = dict(fields)
        if "payload" in request:
            request = _json_object(request["payload"])
    found = problem(request)
    if found is not None:
        raise Refusal(400, found)
    return request


def _json_object(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        raise Refusal(400, "body is not JSON") from None
    if not isinstance(data, dict):
        raise Refusal(400, "body is not a JSON object")
    return data


def checked_environ(
    verifier: SignatureVerifier, environ: dict[str, Any], limit: int = MAX_BODY_BYTES
) -> dict[str, Any]:
    """``environ`` with its body read, signed and well-formed (or ``Refusal``), ready for
    Bolt's adapter: the same bytes, readable again, and the request as parsed (``PARSED``)."""
    body = read_body(environ, limit)
    check_signature(verifier, environ, body)
    parsed = check_shape(environ, body)
    return {
        **environ,
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        PARSED: parsed,
    }


def refuse(refusal: Refusal) -> tuple[str, list[tuple[str, str]], bytes]:
    log.info("refused a Slack request: %s %s", refusal.status, refusal.reason)
    body = json.dumps({"error": refusal.reason}).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    return refusal.status_line, headers, body

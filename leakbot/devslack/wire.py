"""Reading a Web API call the ways slack_sdk sends one: form-encoded, JSON or multipart.

Form-encoded calls carry structured arguments (``blocks``, ``view``, ``files``…) as JSON
strings; they are decoded here so that tests see the same shape whichever encoding was used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from .apierror import ApiError

# Arguments Slack documents as JSON-encoded strings when sent in a form body.
JSON_ARGS = frozenset(
    {"attachments", "blocks", "files", "metadata", "unfurled_attachments", "view"}
)


@dataclass(frozen=True)
class Part:
    """One part of a multipart body: a field, or a file when ``filename`` is set."""

    name: str
    filename: str | None
    content: bytes


@dataclass(frozen=True)
class ApiRequest:
    args: dict[str, Any]
    token: str | None
    token_in_header: bool
    json_body: bool


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def multipart_parts(content_type: str, body: bytes) -> list[Part]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    parts: list[Part] = []
    for part in message.iter_parts() if isinstance(message, Message) else ():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        parts.append(
            Part(
                name=str(name or ""),
                filename=part.get_filename(),
                content=payload if isinstance(payload, bytes) else b"",
            )
        )
    return parts


def _decoded(args: dict[str, Any]) -> dict[str, Any]:
    out = dict(args)
    for key in JSON_ARGS & out.keys():
        value = out[key]
        if isinstance(value, str) and value[:1] in ("[", "{"):
            try:
                out[key] = json.loads(value)
            except json.JSONDecodeError as err:
                raise ApiError("invalid_arguments") from err
    return out


def read_api_request(
    content_type: str | None, authorization: str | None, body: bytes, query: str
) -> ApiRequest:
    """Arguments from query and body, with the token taken out of them."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = media_type(content_type)
    is_json = kind == "application/json"
    try:
        if is_json:
            payload = json.loads(body or b"{}")
            if not isinstance(payload, dict):
                raise ApiError("invalid_json")
            args.update(payload)
        elif kind == "multipart/form-data":
            for part in multipart_parts(content_type or "", body):
                args[part.name] = part.content if part.filename else part.content.decode()
        elif body:
            args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ApiError("invalid_json" if is_json else "invalid_form_data") from err
    header_token = None
    if authorization and authorization.lower().startswith("bearer "):
        header_token = authorization[7:].strip() or None
    param_token = args.pop("token", None)
    return ApiRequest(
        args=_decoded(args),
        token=header_token or (str(param_token) if param_token else None),
        token_in_header=header_token is not None,
        json_body=is_json,
    )


def upload_content(content_type: str | None, body: bytes) -> bytes:
    """The file bytes of an upload POST: the raw body, or the file part of a multipart body."""
    if media_type(content_type) != "multipart/form-data":
        return body
    parts = multipart_parts(content_type or "", body)
    chosen = next((p for p in parts if p.filename), None) or next(
        (p for p in parts if p.name == "file"), None
    )
    return chosen.content if chosen else b""


def flag(value: Any) -> bool:
    """Slack's booleans: ``true``/``1`` in forms, ``true`` in JSON."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def id_list(value: Any) -> list[str]:
    """A comma-separated string or a JSON list of ids, without blanks or repeats."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    return list(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))

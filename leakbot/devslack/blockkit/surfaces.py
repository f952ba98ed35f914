"""Checks of whole surfaces — a message's blocks, a modal, a Home tab — and of the body an
acknowledgement carries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leakbot.devslack.blockkit.elements import ElementWalker
from leakbot.devslack.blockkit.limits import (
    MAX_ACTIONS_ELEMENTS,
    MAX_ALT_TEXT,
    MAX_BLOCKS,
    MAX_CONTEXT_ELEMENTS,
    MAX_FIELD_TEXT,
    MAX_FIELDS,
    MAX_HEADER_TEXT,
    MAX_IMAGE_TITLE,
    MAX_LABEL,
    MAX_MARKDOWN_BLOCK,
    MAX_MESSAGE_TEXT,
    MAX_PRIVATE_METADATA,
    MAX_SECTION_TEXT,
    MAX_TEXT,
    MAX_URL,
    MAX_VIEW_TITLE,
    SURFACES,
    Surface,
)
from leakbot.devslack.blockkit.problems import (
    Problem,
    escape_key,
    length,
)
from leakbot.devslack.blockkit.shapes import (
    ACTIONS_ELEMENTS,
    BLOCK_FIELDS,
    BLOCK_SURFACES,
    CONTEXT_ELEMENTS,
    INPUT_ELEMENTS,
    RESPONSE_ACTIONS,
    SECTION_ACCESSORIES,
    VIEW_FIELDS,
)


def validate(kind: Surface, payload: Mapping[str, Any], at: str | None = None) -> list[Problem]:
    """Every problem in a surface: a message's ``blocks`` (``payload`` holds them, as a
    chat.postMessage call, a response_url post or a slash command's answer does) or a view
    (``payload`` is the view). ``at`` is the pointer of the payload: "" for a message, ``/view``
    for a view unless given."""
    if kind == "message":
        walker = SurfaceWalker("message")
        blocks = payload.get("blocks")
        if blocks is not None:
            walker.blocks(f"{at or ''}/blocks", blocks)
        return walker.problems
    if kind not in VIEW_FIELDS:
        raise ValueError(f"unknown surface {kind!r}")
    walker = SurfaceWalker(kind)
    walker.view(at if at is not None else "/view", payload)
    return walker.problems


def validate_view(view: Any, at: str = "/view") -> list[Problem]:
    """A view of either type, told apart by its ``type`` (a wrong type is a problem)."""
    if not isinstance(view, Mapping):
        return [Problem(at, "must provide an object")]
    kind = view.get("type")
    if kind not in VIEW_FIELDS:
        return [Problem(f"{at}/type", f"unsupported type: {kind}")]
    return validate(kind, view, at)


def validate_ack(
    request_type: str, body: Any, submitted: Mapping[str, Any] | None = None
) -> list[Problem]:
    """The body leakbot answered a request with, as Slack reads it.

    ``request_type`` is what Slack sent: ``slash_commands`` (or ``slash_command``) for a
    command, an interaction payload's ``type`` (``block_actions``, ``view_submission``,
    ``view_closed``, ``shortcut``…), or ``interactive`` / ``events_api`` for a Socket Mode
    envelope. A command's answer is a message; a ``view_submission`` answer may carry a
    ``response_action``; other interactions and events read no body. ``submitted`` is the
    view a ``view_submission`` came from: the keys of ``response_action: errors`` must name its
    input blocks, or Slack has nowhere to show them.
    """
    if body is None or body == "" or body == {}:
        return []
    if request_type in ("slash_commands", "slash_command"):
        if isinstance(body, str):
            return _message_text_problems("", body)
        if not isinstance(body, Mapping):
            return [Problem("", "must provide an object")]
        return validate("message", body) + _message_text_problems("/text", body.get("text"))
    if request_type == "view_submission" and isinstance(body, Mapping):
        return _response_action(body, submitted)
    return []


def message_text_problems(text: Any, *, at: str = "/text") -> list[Problem]:
    """A message's top-level ``text`` past the 4,000 characters chat.update and
    chat.postEphemeral take (``msg_too_long``)."""
    return _message_text_problems(at, text)


def _message_text_problems(at: str, text: Any) -> list[Problem]:
    if isinstance(text, str) and length(text) > MAX_MESSAGE_TEXT:
        return [Problem(at, f"must be less than {MAX_MESSAGE_TEXT + 1} characters")]
    return []


def _response_action(
    body: Mapping[str, Any], submitted: Mapping[str, Any] | None = None
) -> list[Problem]:
    action = body.get("response_action")
    if action is None:
        return [Problem("", f"invalid additional property: {k}") for k in body]
    if action not in RESPONSE_ACTIONS:
        return [Problem("/response_action", f"unsupported type: {action}")]
    allowed = {"response_action", "errors" if action == "errors" else "view"}
    problems = [Problem("", f"invalid additional property: {k}") for k in body if k not in allowed]
    if action == "errors":
        errors = body.get("errors")
        if not isinstance(errors, Mapping) or not errors:
            problems.append(Problem("/errors", "must provide an object"))
        else:
            problems += [
                Problem(f"/errors/{escape_key(str(k))}", "must be a string")
                for k, v in errors.items()
                if not isinstance(v, str) or not v
            ]
            if submitted is not None:
                inputs = {
                    b.get("block_id")
                    for b in submitted.get("blocks") or ()
                    if isinstance(b, Mapping) and b.get("type") == "input"
                }
                problems += [
                    Problem(f"/errors/{escape_key(str(k))}", "no input block has this block_id")
                    for k in errors
                    if k not in inputs
                ]
    elif action in ("update", "push"):
        view = body.get("view")
        if view is None:
            problems.append(Problem("", "missing required field: view"))
        else:
            problems += validate_view(view)
    return problems


class SurfaceWalker(ElementWalker):
    """The checks of a view and its blocks, block by block type."""

    # -- views -------------------------------------------------------------------------------

    def view(self, at: str, value: Any) -> None:
        view = self.obj(at, value)
        if view is None:
            return
        if view.get("type") != self.surface:
            self.add(f"{at}/type", f"unsupported type: {view.get('type')}")
            return
        required = ("type", "title", "blocks") if self.surface == "modal" else ("type", "blocks")
        self.fields(at, view, VIEW_FIELDS[self.surface], required)
        if self.surface == "modal":
            for key in ("title", "close", "submit"):
                if view.get(key) is not None:
                    self.text(f"{at}/{key}", view[key], MAX_VIEW_TITLE, plain_only=True)
        self.string(
            f"{at}/private_metadata", view.get("private_metadata"), MAX_PRIVATE_METADATA, empty=True
        )
        self.identifier(f"{at}/callback_id", view.get("callback_id"))
        self.identifier(f"{at}/external_id", view.get("external_id"))
        for key in ("clear_on_close", "notify_on_close", "submit_disabled"):
            self.flag(f"{at}/{key}", view.get(key))
        blocks = view.get("blocks")
        if blocks is not None:
            self.blocks(f"{at}/blocks", blocks)
        if (
            self.surface == "modal"
            and view.get("submit") is None
            and isinstance(blocks, list)
            and any(isinstance(b, Mapping) and b.get("type") == "input" for b in blocks)
        ):
            first = next(
                i
                for i, b in enumerate(blocks)
                if isinstance(b, Mapping) and b.get("type") == "input"
            )
            self.add(
                f"{at}/blocks/{first}", "must define `submit` to use an `input` block in modals"
            )

    # -- blocks ------------------------------------------------------------------------------

    def blocks(self, at: str, value: Any) -> None:
        blocks = self.array(at, value, MAX_BLOCKS[self.surface], minimum=0)
        for i, block in enumerate(blocks):
            self.block(f"{at}/{i}", block)

    def block(self, at: str, value: Any) -> None:
        block = self.obj(at, value)
        if block is None:
            return
        kind = block.get("type")
        if kind not in BLOCK_FIELDS:
            self.add(f"{at}/type", f"unsupported type: {kind}")
            return
        if self.surface not in BLOCK_SURFACES.get(kind, SURFACES):
            self.add(f"{at}/type", f"unsupported type: {kind}")
            return
        allowed, required = BLOCK_FIELDS[kind]
        self.fields(at, block, allowed, required)
        block_id = block.get("block_id")
        if block_id is not None:
            self.identifier(f"{at}/block_id", block_id)
            if isinstance(block_id, str):
                if block_id in self.block_ids:
                    self.add(
                        f"{at}/block_id",
                        f"block_id `{block_id}` is already used at {self.block_ids[block_id]}; "
                        "it must be unique in the message or view",
                    )
                else:
                    self.block_ids[block_id] = at
        getattr(self, f"_{kind}")(at, block)

    def _section(self, at: str, block: Mapping[str, Any]) -> None:
        if block.get("text") is None and block.get("fields") is None:
            self.add(f"{at}/type", "must define either `text` or `fields`")
        if block.get("text") is not None:
            self.text(f"{at}/text", block["text"], MAX_SECTION_TEXT)
        if block.get("fields") is not None:
            for i, f in enumerate(self.array(f"{at}/fields", block["fields"], MAX_FIELDS)):
                self.text(f"{at}/fields/{i}", f, MAX_FIELD_TEXT)
        self.flag(f"{at}/expand", block.get("expand"))
        if block.get("accessory") is not None:
            self.elements(at, [("accessory", block["accessory"])], SECTION_ACCESSORIES)

    def _actions(self, at: str, block: Mapping[str, Any]) -> None:
        elements = self.array(f"{at}/elements", block.get("elements"), MAX_ACTIONS_ELEMENTS)
        self.elements(at, [(f"elements/{i}", e) for i, e in enumerate(elements)], ACTIONS_ELEMENTS)

    def _context(self, at: str, block: Mapping[str, Any]) -> None:
        elements = self.array(f"{at}/elements", block.get("elements"), MAX_CONTEXT_ELEMENTS)
        for i, element in enumerate(elements):
            here = f"{at}/elements/{i}"
            e = self.obj(here, element)
            if e is None:
                continue
            kind = e.get("type")
            if kind not in CONTEXT_ELEMENTS:
                self.add(f"{here}/type", f"unsupported type: {kind}")
            elif kind == "image":
                self.element(here, e)
            else:
                self.text(here, e, MAX_TEXT)

    def _divider(self, at: str, block: Mapping[str, Any]) -> None:
        pass

    def _header(self, at: str, block: Mapping[str, Any]) -> None:
        if block.get("text") is not None:
            self.text(f"{at}/text", block["text"], MAX_HEADER_TEXT, plain_only=True)

    def _input(self, at: str, block: Mapping[str, Any]) -> None:
        if block.get("label") is not None:
            self.text(f"{at}/label", block["label"], MAX_LABEL, plain_only=True)
        if block.get("hint") is not None:
            self.text(f"{at}/hint", block["hint"], MAX_LABEL, plain_only=True)
        self.flag(f"{at}/optional", block.get("optional"))
        self.flag(f"{at}/dispatch_action", block.get("dispatch_action"))
        element = block.get("element")
        if element is not None:
            self.elements(at, [("element", element)], INPUT_ELEMENTS)
            if (
                block.get("dispatch_action") is True
                and isinstance(element, Mapping)
                and element.get("type") == "file_input"
            ):
                self.add(f"{at}/element/type", "unsupported type: file_input")

    def _image(self, at: str, block: Mapping[str, Any]) -> None:
        self._image_source(at, block)
        self.string(f"{at}/alt_text", block.get("alt_text"), MAX_ALT_TEXT)
        if block.get("title") is not None:
            self.text(f"{at}/title", block["title"], MAX_IMAGE_TITLE, plain_only=True)

    def _rich_text(self, at: str, block: Mapping[str, Any]) -> None:
        self.array(f"{at}/elements", block.get("elements"), MAX_BLOCKS["modal"], minimum=0)

    def _markdown(self, at: str, block: Mapping[str, Any]) -> None:
        self.string(f"{at}/text", block.get("text"), MAX_MARKDOWN_BLOCK)

    def _file(self, at: str, block: Mapping[str, Any]) -> None:
        if block.get("source") not in (None, "remote"):
            self.add(f"{at}/source", f"unsupported type: {block.get('source')}")

    def _video(self, at: str, block: Mapping[str, Any]) -> None:
        self.string(f"{at}/video_url", block.get("video_url"), MAX_URL)
        self.string(f"{at}/thumbnail_url", block.get("thumbnail_url"), MAX_URL)

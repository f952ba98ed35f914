"""views.*: modals opened with a fresh trigger, updated by id with a hash check, and App Homes."""

from __future__ import annotations

import secrets
from typing import Any

from .apierror import ApiError
from .workspace import View, Workspace

MAX_BLOCKS = 100


def _definition(args: dict[str, Any], kind: str) -> dict[str, Any]:
    view = args.get("view")
    if not isinstance(view, dict) or view.get("type") != kind:
        raise ApiError("invalid_arguments")
    if len(view.get("blocks") or []) > MAX_BLOCKS:
        raise ApiError("view_too_large")
    if kind == "modal" and not view.get("title"):
        raise ApiError("invalid_arguments")
    return view


def _check_external_id(ws: Workspace, definition: dict[str, Any], keep: View | None) -> str:
    external_id = str(definition.get("external_id") or "")
    if external_id and any(
        v.external_id == external_id and v is not keep and not v.closed for v in ws.views.values()
    ):
        raise ApiError("duplicate_external_id")
    return external_id


def _shown(ws: Workspace, view: View) -> dict[str, Any]:
    return {"view": view.as_slack(ws.team_id, ws.app_id, ws.bot_id)}


def open_view(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    definition = _definition(args, "modal")
    trigger = ws.use_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
    view = View(
        id=ws.new_id("V"),
        user=trigger.user,
        definition=definition,
        hash=secrets.token_hex(8),
        external_id=_check_external_id(ws, definition, None),
    )
    ws.views[view.id] = view
    return _shown(ws, view)


def push_view(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    definition = _definition(args, "modal")
    trigger = ws.use_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
    below = [v for v in ws.views.values() if not v.closed and v.user == trigger.user]
    if not below:
        raise ApiError("not_found")
    top = below[-1]
    root = top.root_view_id or top.id
    if sum(1 for v in below if (v.root_view_id or v.id) == root) >= 3:
        raise ApiError("push_limit_reached")
    view = View(
        id=ws.new_id("V"),
        user=trigger.user,
        definition=definition,
        hash=secrets.token_hex(8),
        external_id=_check_external_id(ws, definition, None),
        root_view_id=root,
        previous_view_id=top.id,
    )
    ws.views[view.id] = view
    return _shown(ws, view)


def update_view(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    definition = _definition(args, "modal")
    view_id, external_id = str(args.get("view_id") or ""), str(args.get("external_id") or "")
    if not view_id and not external_id:
        raise ApiError("invalid_arguments")
    view = (
        ws.views.get(view_id)
        if view_id
        else next((v for v in ws.views.values() if v.external_id == external_id), None)
    )
    if view is None or view.closed:
        raise ApiError("not_found")
    if args.get("hash") and args["hash"] != view.hash:
        raise ApiError("hash_conflict")
    view.external_id = _check_external_id(ws, definition, view) or view.external_id
    view.definition = definition
    view.hash = secrets.token_hex(8)
    return _shown(ws, view)


def publish(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    definition = _definition(args, "home")
    user_id = str(args.get("user_id") or "")
    if user_id not in ws.users:
        raise ApiError("invalid_arguments")
    current = ws.home.get(user_id)
    if current is not None and args.get("hash") and args["hash"] != current.hash:
        raise ApiError("hash_conflict")
    view = current or View(id=ws.new_id("V"), user=user_id, definition=definition, hash="")
    view.definition = definition
    view.hash = secrets.token_hex(8)
    ws.home[user_id] = view
    return _shown(ws, view)


HANDLERS = {
    "views.open": open_view,
    "views.publish": publish,
    "views.push": push_view,
    "views.update": update_view,
}

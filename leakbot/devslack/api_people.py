"""auth.test, users.info and usergroups.users.list: who the bot is and who the people are."""

from __future__ import annotations

from typing import Any

from .apierror import ApiError
from .workspace import Workspace


def auth_test(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"{ws.origin}/",
        "team": "leakbot stand-in",
        "user": ws.users[ws.bot_user_id].name,
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def users_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {"user": ws.user(str(args.get("user") or "")).as_slack(ws.team_id)}


def usergroup_users(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    group = str(args.get("usergroup") or "")
    if group not in ws.usergroups:
        raise ApiError("no_such_subteam")
    return {"users": list(ws.usergroups[group])}


HANDLERS = {
    "auth.test": auth_test,
    "usergroups.users.list": usergroup_users,
    "users.info": users_info,
}

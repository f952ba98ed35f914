"""auth.test, users.info, usergroups.list and usergroups.users.list: who the bot is and who
the people are."""

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


def _flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true")


def usergroups_list(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """The workspace's user groups; disabled ones (``date_delete`` set) only when asked."""
    groups = []
    for group_id, members in ws.usergroups.items():
        disabled = group_id in ws.disabled_usergroups
        if disabled and not _flag(args.get("include_disabled")):
            continue
        group: dict[str, Any] = {
            "id": group_id,
            "team_id": ws.team_id,
            "is_usergroup": True,
            "name": group_id,
            "handle": group_id.lower(),
            "date_delete": 1 if disabled else 0,
        }
        if _flag(args.get("include_count")):
            group["user_count"] = len(members)
        if _flag(args.get("include_users")):
            group["users"] = list(members)
        groups.append(group)
    return {"usergroups": groups}


HANDLERS = {
    "auth.test": auth_test,
    "usergroups.list": usergroups_list,
    "usergroups.users.list": usergroup_users,
    "users.info": users_info,
}

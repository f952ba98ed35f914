"""Regenerate leakbot/devslack/methods.json from Slack's published method reference.

The stand-in checks every Web API call leakbot makes against this table, so the table must come
from Slack's own reference rather than from memory. Run it when leakbot starts calling a new
method or when the reference changes:

    python scripts/refresh_slack_methods.py SPEC_DIR

SPEC_DIR holds one ``<method>.json`` per method in the machine-readable form of Slack's method
reference (``desc``, ``http_method``, ``rate_limits``, ``args``, ``errors``, ``scope``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "leakbot" / "devslack" / "methods.json"

# The methods leakbot calls, including the three steps of slack_sdk's files_upload_v2.
METHODS = (
    "apps.connections.open",
    "auth.test",
    "chat.getPermalink",
    "chat.postEphemeral",
    "chat.postMessage",
    "chat.update",
    "conversations.archive",
    "conversations.create",
    "conversations.history",
    "conversations.info",
    "conversations.list",
    "conversations.invite",
    "conversations.members",
    "conversations.open",
    "conversations.rename",
    "conversations.replies",
    "conversations.setPurpose",
    "conversations.setTopic",
    "files.completeUploadExternal",
    "files.getUploadURLExternal",
    "files.info",
    "pins.add",
    "usergroups.list",
    "usergroups.users.list",
    "users.info",
    "views.open",
    "views.publish",
    "views.push",
    "views.update",
)

# Errors any method may answer, from Slack's "Web API basics"; the per-method pages omit them.
COMMON_ERRORS = (
    "access_denied",
    "account_inactive",
    "deprecated_endpoint",
    "enterprise_is_restricted",
    "fatal_error",
    "internal_error",
    "invalid_arg_name",
    "invalid_arguments",
    "invalid_array_arg",
    "invalid_auth",
    "invalid_charset",
    "invalid_form_data",
    "invalid_post_type",
    "missing_post_type",
    "missing_scope",
    "no_permission",
    "not_allowed_token_type",
    "not_authed",
    "ratelimited",
    "request_timeout",
    "service_unavailable",
    "team_added_to_org",
    "token_expired",
    "token_revoked",
    "two_factor_setup_required",
    "unknown_method",
)

TIERS = {"t1": "tier1", "t2": "tier2", "t3": "tier3", "t4": "tier4", "t5": "special"}


def entry(spec: dict[str, Any]) -> dict[str, Any]:
    """Keep what the stand-in checks and what a reader needs to pace calls."""
    args = spec.get("args") or {}
    scope = spec.get("scope") or {}
    return {
        "http_method": spec.get("http_method", "POST"),
        "rate_tier": TIERS.get(spec.get("rate_limits", ""), spec.get("rate_limits") or "unknown"),
        "json_body": bool(spec.get("json_input_supported")),
        "required": list(args.get("required") or []),
        "args": sorted((args.get("properties") or {}).keys()),
        "errors": sorted((spec.get("errors") or {}).keys()),
        "scopes": {kind: sorted(scope.get(kind) or []) for kind in ("bot", "user")},
    }


def build(spec_dir: Path) -> dict[str, Any]:
    missing = [m for m in METHODS if not (spec_dir / f"{m}.json").is_file()]
    if missing:
        raise SystemExit(f"{spec_dir}: no reference for {', '.join(missing)}")
    methods = {
        m: entry(json.loads((spec_dir / f"{m}.json").read_text(encoding="utf-8"))) for m in METHODS
    }
    return {
        "source": "Slack Web API method reference (docs.slack.dev/reference/methods)",
        "common_errors": list(COMMON_ERRORS),
        "methods": methods,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec_dir", type=Path, help="folder of <method>.json reference files")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the table")
    ns = parser.parse_args(argv)
    table = build(ns.spec_dir)
    ns.out.write_text(json.dumps(table, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(table['methods'])} methods to {ns.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

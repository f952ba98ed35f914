"""Every action, block and view id leakbot uses, in one place."""

from __future__ import annotations

import re
from enum import StrEnum


class Action(StrEnum):
    COMPLETE_STEP = "step_complete"  # value: "<number>:<step_id>"
    REOPEN_STEP = "step_reopen"  # value: "<number>:<step_id>"
    SKIP_STEP = "step_skip"  # value: "<number>:<step_id>"
    STEP_MENU = "step_menu"  # overflow menu; option values "reopen|<number>:<step_id>" etc.
    SHOW_NOTICES = "notices_show"  # value: "<number>"
    # One button per file format: Slack refuses two elements with one action_id in a block.
    PULL_DOCX = "notice_pull_docx"  # value: "<draft_id>:docx"
    PULL_MD = "notice_pull_md"  # value: "<draft_id>:md"
    APPROVE_NOTICE = "notice_approve"  # value: "<draft_id>"
    OPEN_REPORT = "report_open"  # App Home button
    ADD_EVIDENCE = "evidence_add"  # value: "<number>"


#: What the pull listener answers: both format buttons, and the single ``notice_pull`` id that
#: lists posted before the buttons had their own ids still carry (the value names the format).
PULL_NOTICE = re.compile(r"^notice_pull(_docx|_md)?$")


class View(StrEnum):
    """callback_id of each modal."""

    REPORT = "leak_report"
    STEP_INPUTS = "step_inputs"  # private_metadata: {"number", "step_id"}
    REASON = "step_reason"  # private_metadata: {"number", "step_id", "verb": reopen|skip}
    NOTICES = "notices_list"
    WORKING = "working"
    EVIDENCE = "evidence_add"  # private_metadata: {"number"}


class Shortcut(StrEnum):
    """callback_id of each shortcut declared in ``manifest.yml``."""

    ADD_TO_EVIDENCE = "evidence_from_message"  # a message shortcut


class EvidenceField(StrEnum):
    """block_id of each field of the evidence modal; the action_id inside is the same string."""

    FILES = "files"
    LINKS = "links"
    SEEN_AT = "seen_at"
    NOTE = "note"


class ReportField(StrEnum):
    """block_id of each field of the report modal; the action_id inside is the same string."""

    TITLE = "title"
    ASSET = "asset"
    TITLE_ZH = "title_zh"
    ASSET_ZH = "asset_zh"
    WHERE_SEEN = "where_seen"
    SUPPLIER = "supplier"
    DISCOVERED_ON = "discovered_on"
    SEVERITY = "severity"
    DESCRIPTION = "description"
    PLAYBOOK = "playbook"


REASON_FIELD = "reason"
#: block_id of a step input field is INPUT_PREFIX + input id; the action_id is the input id.
INPUT_PREFIX = "input:"

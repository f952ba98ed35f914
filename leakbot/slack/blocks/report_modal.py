"""The report modal: what a person fills in when they find a leak."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
    InputBlock,
    InputInteractiveElement,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View as SlackView

from leakbot.domain.config import Supplier
from leakbot.domain.hygiene import LIMITS
from leakbot.domain.incident import SEVERITIES
from leakbot.domain.report import UNKNOWN_SUPPLIER
from leakbot.slack.blocks.common import MAX_OPTION_TEXT, MAX_OPTIONS, context, plain
from leakbot.slack.ids import ReportField, View
from leakbot.slack.text import esc

MAX_TITLE = LIMITS["title"]


def _option(value: str, label: str) -> Option:
    return Option(value=value, text=plain(esc(label), MAX_OPTION_TEXT))


def _field(
    name: ReportField,
    label: str,
    element: InputInteractiveElement,
    optional: bool = False,
) -> InputBlock:
    return InputBlock(
        block_id=name,
        label=plain(label),
        element=element,
        optional=optional,
    )


def report_modal(suppliers: Sequence[Supplier], playbooks: list[tuple[str, str]]) -> SlackView:
    """The modal of ``/leak report``; the playbook select shows only when there is a choice.

    Slack allows 100 options in a static select: the first 99 suppliers are offered, with
    "Unknown" always last.
    """
    supplier_options = [_option(s.id, s.name) for s in suppliers[: MAX_OPTIONS - 1]]
    unknown = _option(UNKNOWN_SUPPLIER, "Unknown")
    severities = {s: _option(s, s.capitalize()) for s in SEVERITIES}
    blocks: list[Block] = [
        context("What you enter here goes only to the incident's private channel."),
        _field(
            ReportField.TITLE,
            "Title",
            PlainTextInputElement(
                action_id=ReportField.TITLE,
                max_length=MAX_TITLE,
                placeholder=plain("e.g. Bumper design drafts posted on a forum"),
            ),
        ),
        _field(
            ReportField.ASSET,
            "What leaked",
            PlainTextInputElement(
                action_id=ReportField.ASSET,
                max_length=LIMITS["asset"],
                placeholder=plain("Asset or project code name"),
            ),
        ),
        _field(
            ReportField.TITLE_ZH,
            "Title in Chinese",
            PlainTextInputElement(
                action_id=ReportField.TITLE_ZH,
                max_length=MAX_TITLE,
                placeholder=plain("For the Chinese notices; left empty, they quote the title"),
            ),
            optional=True,
        ),
        _field(
            ReportField.ASSET_ZH,
            "What leaked, in Chinese",
            PlainTextInputElement(
                action_id=ReportField.ASSET_ZH,
                placeholder=plain("For the Chinese notices, e.g. MS11 保险杠设计草图"),
            ),
            optional=True,
        ),
        _field(
            ReportField.WHERE_SEEN,
            "Where it appeared",
            PlainTextInputElement(
                action_id=ReportField.WHERE_SEEN,
                multiline=True,
                max_length=LIMITS["where_seen"],
                placeholder=plain("One or more web addresses, one per line"),
            ),
        ),
        _field(
            ReportField.SUPPLIER,
            "Suspected supplier",
            StaticSelectElement(
                action_id=ReportField.SUPPLIER,
                options=[*supplier_options, unknown],
                initial_option=unknown,
                placeholder=plain("Pick a supplier"),
            ),
        ),
        _field(
            ReportField.DISCOVERED_ON,
            "Discovered on",
            DatePickerElement(action_id=ReportField.DISCOVERED_ON, placeholder=plain("A date")),
            optional=True,
        ),
        _field(
            ReportField.SEVERITY,
            "Severity",
            StaticSelectElement(
                action_id=ReportField.SEVERITY,
                options=list(severities.values()),
                initial_option=severities["high"],
            ),
        ),
        _field(
            ReportField.DESCRIPTION,
            "Description",
            PlainTextInputElement(
                action_id=ReportField.DESCRIPTION,
                multiline=True,
                max_length=LIMITS["description"],
            ),
            optional=True,
        ),
    ]
    if len(playbooks) > 1:
        options = [_option(pid, name) for pid, name in playbooks[:MAX_OPTIONS]]
        blocks.append(
            _field(
                ReportField.PLAYBOOK,
                "Playbook",
                StaticSelectElement(
                    action_id=ReportField.PLAYBOOK, options=options, initial_option=options[0]
                ),
            )
        )
    return SlackView(
        type="modal",
        callback_id=View.REPORT,
        title=plain("Report a leak"),
        submit=plain("Report"),
        close=plain("Cancel"),
        blocks=blocks,
    )

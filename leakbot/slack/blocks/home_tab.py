"""The App Home tab: what waits on the viewer, then every open incident.

Anyone in the workspace can open the Home tab, so incidents appear by reference, severity and
progress only; titles stay in their private channels.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, DividerBlock, HeaderBlock
from slack_sdk.models.views import View as SlackView

from leakbot.domain.incident import Incident
from leakbot.services.queries import Waiting
from leakbot.slack.blocks.common import button, context, plain, section
from leakbot.slack.ids import Action
from leakbot.slack.text import esc, user_text, when

MAX_ROWS = 40  # per list; the Home tab holds 100 blocks


def _waiting_line(item: Waiting, tz: ZoneInfo) -> str:
    state = item.incident.steps[item.step.id]
    due = f" · due {when(state.due_at, tz)}" if state.due_at else ""
    return f"*{item.incident.ref}* · {user_text(item.step.title, 200)}{due}"


def _incident_line(incident: Incident) -> str:
    done, total = incident.progress()
    return f"*{incident.ref}* · {esc(incident.facts.severity)} · {done}/{total} finished"


def home_view(incidents: Sequence[Incident], waiting: Sequence[Waiting], tz: ZoneInfo) -> SlackView:
    blocks: list[Block] = [
        HeaderBlock(block_id="head", text=plain("Leak response")),
        ActionsBlock(
            block_id="report",
            elements=[button("Report a leak", Action.OPEN_REPORT, "report", style="primary")],
        ),
        section("*Waiting on you*", block_id="waiting"),
    ]
    if waiting:
        blocks += [
            section(_waiting_line(w, tz), block_id=f"wait:{i}")
            for i, w in enumerate(waiting[:MAX_ROWS])
        ]
    else:
        blocks.append(context("Nothing waits on you.", block_id="waiting_none"))
    blocks += [DividerBlock(), section("*Open incidents*", block_id="open")]
    if incidents:
        blocks += [
            section(_incident_line(n), block_id=f"open:{n.number}") for n in incidents[:MAX_ROWS]
        ]
    else:
        blocks.append(context("No incident is open.", block_id="open_none"))
    more = max(len(waiting) - MAX_ROWS, 0) + max(len(incidents) - MAX_ROWS, 0)
    if more:
        blocks.append(context(f"{more} more not shown; use `/leak list`.", block_id="more"))
    return SlackView(type="home", blocks=blocks)

"""Notices: listing, pulling (legal, the commander, and the roles a notice's template names),
approving, exporting."""

from __future__ import annotations

from dataclasses import dataclass

from leakbot.domain.errors import NotFound, Refused
from leakbot.domain.incident import Incident
from leakbot.domain.permissions import (
    may_approve_notice,
    may_pull_notice,
    require_legal,
    require_notice_puller,
    require_notice_reader,
)
from leakbot.services.committing import owe
from leakbot.services.deps import Deps
from leakbot.services.drafting import notice_subject
from leakbot.services.owed_work import Effect, IncidentWork, NoticeDelivery
from leakbot.services.people import learn_names
from leakbot.services.storage import NoticeDraftRow, UnitOfWork

FORMATS = ("docx", "md")


@dataclass(frozen=True)
class NoticeList:
    incident: Incident
    drafts: list[NoticeDraftRow]
    #: whether the person who asked may approve them (legal); False for the command line
    can_approve: bool = False


def _pulled_by(deps: Deps, kind: str, locale: str) -> tuple[str, ...]:
    return deps.drafter.pulled_by(kind, locale) if deps.drafter is not None else ()


def list_notices(deps: Deps, number: int, actor: str) -> NoticeList:
    """The latest drafts ``actor`` may pull; refused when that is none of them."""
    roles = deps.directory.roles_of(actor)
    with deps.read() as uow:
        incident = uow.incidents.get(number)
        assert incident.id is not None
        drafts = list(uow.notices.latest(incident.id))
    allowed = {(d.kind, d.locale): _pulled_by(deps, d.kind, d.locale) for d in drafts}
    require_notice_reader(actor, roles, incident, [r for rs in allowed.values() for r in rs])
    mine = [
        d for d in drafts if may_pull_notice(actor, roles, incident, allowed[(d.kind, d.locale)])
    ]
    return NoticeList(incident, mine, may_approve_notice(roles))


def _draft(uow: UnitOfWork, draft_id: int) -> tuple[NoticeDraftRow, Incident]:
    draft = uow.notices.get(draft_id)
    if draft is None:
        raise NotFound("That notice no longer exists.")
    return draft, uow.incidents.get_by_id(draft.incident_id)


def draft_to_deliver(deps: Deps, draft_id: int) -> tuple[NoticeDraftRow, Incident] | None:
    """A pulled notice's draft and its incident, for the work that sends its file; None when
    the draft no longer exists."""
    with deps.read() as uow:
        try:
            return _draft(uow, draft_id)
        except NotFound:
            return None


def pull_notice(deps: Deps, draft_id: int, actor: str, fmt: str) -> NoticeDraftRow:
    """Send one notice file to ``actor`` alone (a DM), once allowed. Returns the draft row."""
    if fmt not in FORMATS:
        raise Refused(f"Notices come as {' or '.join(FORMATS)}.")
    roles = deps.directory.roles_of(actor)
    with deps.uow() as uow:
        draft, incident = _draft(uow, draft_id)
        require_notice_puller(
            actor, roles, incident, _pulled_by(deps, draft.kind, draft.locale), f"“{draft.title}”"
        )
        now = deps.clock.now()
        uow.audit.append(
            draft.incident_id,
            actor,
            "notice.pulled",
            notice_subject(draft.kind, draft.locale, draft.addressee),
            None,
            {"version": draft.version, "format": fmt},
            now,
        )
        learn_names(uow, deps, [actor])
        owe(
            uow,
            deps,
            Effect.DELIVER_NOTICE,
            incident,
            NoticeDelivery(draft_id=draft_id, user=actor, format=fmt),
        )
        uow.commit()
    deps.after_commit()
    return draft


def approve_notice(deps: Deps, draft_id: int, actor: str) -> NoticeDraftRow:
    roles = deps.directory.roles_of(actor)
    with deps.uow() as uow:
        draft, incident = _draft(uow, draft_id)
        require_legal(actor, roles, incident)
        now = deps.clock.now()
        approved = uow.notices.approve(draft_id, actor, now)
        uow.audit.append(
            draft.incident_id,
            actor,
            "notice.approved",
            notice_subject(draft.kind, draft.locale, draft.addressee),
            {"status": "draft"},
            {"status": "approved", "version": draft.version},
            now,
        )
        learn_names(uow, deps, [actor])
        owe(uow, deps, Effect.REFRESH_CHECKLIST, incident, IncidentWork(number=incident.number))
        uow.commit()
    deps.after_commit()
    return approved


def latest_notices(deps: Deps, number: int) -> NoticeList:
    """For the operator's command line (``leakbot notices export``): no Slack identity."""
    with deps.read() as uow:
        incident = uow.incidents.get(number)
        assert incident.id is not None
        return NoticeList(incident, list(uow.notices.latest(incident.id)))

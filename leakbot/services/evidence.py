"""Evidence: adding it (from the modal or a message), keeping its files with their hashes in
the audit chain, listing it, and asking for the dossier. Legal, security and the commander see
it; the incident's roles and commander add to it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from leakbot.domain.errors import InvalidInputs, Refused
from leakbot.domain.evidence import (
    EvidenceFile,
    EvidenceForm,
    EvidenceItem,
    RecordedMessage,
    Source,
    Status,
    check_form,
    message_time,
)
from leakbot.domain.incident import Incident
from leakbot.domain.permissions import require_evidence_adder, require_evidence_reader
from leakbot.services.committing import owe
from leakbot.services.deps import Deps
from leakbot.services.drafting import draft_notices, steps_still_to_do
from leakbot.services.owed_work import DossierDelivery, Effect, EvidenceCollection, IncidentWork
from leakbot.services.storage import UnitOfWork

NOT_AN_INCIDENT_CHANNEL = "“Add to evidence” works on messages in an incident's channel."


@dataclass(frozen=True)
class Collected:
    """One file as fetched from Slack: its description and its bytes (None when refused)."""

    file: EvidenceFile
    content: bytes | None


@dataclass(frozen=True)
class EvidenceList:
    incident: Incident
    items: list[EvidenceItem]


def check_evidence_form(deps: Deps, form: EvidenceForm) -> EvidenceForm:
    """The form checked (before the acknowledgement: no database, no Slack); InvalidInputs
    names the fields to fix."""
    checked, errors = check_form(form, deps.clock.now())
    if errors:
        raise InvalidInputs(errors)
    return checked


def incident_to_add_to(deps: Deps, number: int, actor: str) -> Incident:
    """The incident whose evidence ``actor`` may add to (to show the form); ``Refused``, with
    nothing recorded, when they may not."""
    with deps.read() as uow:
        incident = uow.incidents.get(number)
    require_evidence_adder(actor, deps.directory.roles_of(actor), incident)
    return incident


def add_evidence(
    deps: Deps, number: int, actor: str, form: EvidenceForm, key: str | None = None
) -> EvidenceItem:
    """Record what the modal sent; its files are fetched from Slack after the commit."""
    checked = check_evidence_form(deps, form)
    roles = deps.directory.roles_of(actor)
    with deps.uow() as uow:
        incident = uow.incidents.get(number)
        require_evidence_adder(actor, roles, incident)
        assert incident.id is not None
        item = EvidenceItem(
            incident_id=incident.id,
            number=0,
            source=Source.UPLOAD if checked.files else Source.LINK,
            added_by=actor,
            added_at=deps.clock.now(),
            seen_at=checked.seen_at,
            note=checked.note.strip(),
            links=checked.links,
            files=checked.files,
        )
        return _record_and_owe(uow, deps, incident, item, key)


def add_message(
    deps: Deps,
    channel_id: str,
    actor: str,
    message: RecordedMessage,
    files: tuple[EvidenceFile, ...],
    key: str | None = None,
) -> EvidenceItem:
    """Record a message of an incident's channel (the message shortcut)."""
    roles = deps.directory.roles_of(actor)
    with deps.uow() as uow:
        incident = uow.incidents.by_channel(channel_id)
        if incident is None:
            raise Refused(NOT_AN_INCIDENT_CHANNEL)
        require_evidence_adder(actor, roles, incident)
        assert incident.id is not None
        item = EvidenceItem(
            incident_id=incident.id,
            number=0,
            source=Source.MESSAGE,
            added_by=actor,
            added_at=deps.clock.now(),
            seen_at=message_time(message.ts),
            files=files,
            message=message,
        )
        return _record_and_owe(uow, deps, incident, item, key)


def _record_and_owe(
    uow: UnitOfWork, deps: Deps, incident: Incident, item: EvidenceItem, key: str | None
) -> EvidenceItem:
    added = uow.evidence.add(item, key)
    assert added.id is not None
    owe(
        uow,
        deps,
        Effect.COLLECT_EVIDENCE,
        incident,
        EvidenceCollection(item_id=added.id),
        key=f"evidence:{added.id}",
    )
    assert incident.id is not None
    uow.incidents.touch(incident.id, deps.clock.now())
    uow.commit()
    deps.after_commit()
    return added


def pending_item(deps: Deps, item_id: int) -> tuple[EvidenceItem, Incident, str | None]:
    """(item, incident, incident channel) for the worker that fetches the files."""
    with deps.read() as uow:
        item = uow.evidence.get(item_id)
        incident = uow.incidents.get_by_id(item.incident_id)
        return item, incident, uow.incidents.links(item.incident_id).channel_id


def keep_collected(
    deps: Deps, item_id: int, collected: list[Collected], permalink: str | None
) -> EvidenceItem:
    """Keep the fetched bytes and write the item's audit entry, with every hash, in one
    transaction. Safe to repeat: an item kept already is returned as it is."""
    with deps.uow() as uow:
        item = uow.evidence.get(item_id, for_update=True)
        if item.status is Status.KEPT:
            return item
        files: list[EvidenceFile] = []
        for c in collected:
            if c.content is None:
                files.append(c.file)
                continue
            digest = uow.blobs.put(c.content)
            files.append(replace(c.file, sha256=digest, size=len(c.content)))
        now = deps.clock.now()
        kept = uow.evidence.mark_kept(item_id, tuple(files), permalink, now)
        uow.audit.append(
            item.incident_id,
            item.added_by,
            "evidence.added",
            kept.ref,
            None,
            audit_record(kept),
            now,
        )
        incident = uow.incidents.get_by_id(item.incident_id)
        draft_notices(uow, deps, incident, steps_still_to_do(incident), item.added_by)
        owe(uow, deps, Effect.REFRESH_CHECKLIST, incident, IncidentWork(number=incident.number))
        uow.incidents.touch(item.incident_id, now)
        uow.commit()
    deps.after_commit()
    return kept


def audit_record(item: EvidenceItem) -> dict[str, object]:
    """What the audit entry of an item holds: every file's hash, size, type and name, who added
    it and when, where it came from."""
    message = item.message
    return {
        "source": item.source.value,
        "added_by": item.added_by,
        "added_at": item.added_at,
        "seen_at": item.seen_at,
        "links": list(item.links),
        "permalink": item.permalink,
        "note": item.note,
        "message": (
            {"channel": message.channel_id, "ts": message.ts, "author": message.author}
            if message
            else None
        ),
        "files": [
            {
                "name": f.name,
                "sha256": f.sha256,
                "size": f.size,
                "media_type": f.media_type,
                **({"refused": f.refused} if f.refused else {}),
            }
            for f in item.files
        ],
    }


def list_evidence(deps: Deps, number: int, actor: str) -> EvidenceList:
    roles = deps.directory.roles_of(actor)
    with deps.read() as uow:
        incident = uow.incidents.get(number)
        require_evidence_reader(actor, roles, incident)
        assert incident.id is not None
        return EvidenceList(incident, uow.evidence.of_incident(incident.id))


def evidence_of(deps: Deps, number: int) -> EvidenceList:
    """For the operator's command line and the notices: no Slack identity."""
    with deps.read() as uow:
        incident = uow.incidents.get(number)
        assert incident.id is not None
        return EvidenceList(incident, uow.evidence.of_incident(incident.id))


def request_dossier(deps: Deps, number: int, actor: str) -> Incident:
    """Send the dossier to ``actor``'s DM (legal, security, the commander)."""
    roles = deps.directory.roles_of(actor)
    with deps.uow() as uow:
        incident = uow.incidents.get(number)
        require_evidence_reader(actor, roles, incident)
        now = deps.clock.now()
        assert incident.id is not None
        uow.audit.append(incident.id, actor, "dossier.requested", incident.ref, None, None, now)
        owe(uow, deps, Effect.DELIVER_DOSSIER, incident, DossierDelivery(number=number, user=actor))
        uow.commit()
    deps.after_commit()
    return incident

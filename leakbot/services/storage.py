"""What the use cases need of storage: the unit of work and its repositories, as protocols, and
the plain records they hand back.

``leakbot.store`` implements these with SQLAlchemy (``leakbot.store.uow.UnitOfWork``);
services, and the adapters that are handed a unit of work by services' ``Deps``, name only
what is here, so they depend on no database library. Leaving the ``with`` block without
``commit()`` rolls everything back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Protocol

from leakbot.domain.audit import AuditEntry
from leakbot.domain.evidence import EvidenceFile, EvidenceItem
from leakbot.domain.incident import Incident
from leakbot.domain.playbook import Playbook

#: What is kept as JSON: an outbox payload or result, an intent's arguments.
Json = Mapping[str, object]


# --- the records ----------------------------------------------------------------------------
class DuplicateKey(Exception):
    """Another transaction recorded an incident with the same idempotency key first."""


class PartlyRecorded(Exception):
    """Recording several intents failed part-way, after the first ones were committed (each
    in its own statement): ``recorded`` holds their ids (None for a key seen before), in order;
    the others were not recorded."""

    def __init__(self, recorded: list[int | None], cause: Exception) -> None:
        super().__init__(f"{len(recorded)} recorded before {type(cause).__name__}")
        self.recorded = recorded
        self.cause = cause


@dataclass(frozen=True)
class IncidentLinks:
    """Where an incident lives in Slack; unknown until its channel and messages exist."""

    channel_id: str | None = None
    channel_name: str | None = None
    checklist_ts: str | None = None
    kickoff_ts: str | None = None
    announced_at: datetime | None = None  # when the announce channel heard of it


@dataclass(frozen=True)
class OutboxItem:
    """One piece of Slack work owed (``kind`` is a ``services.owed_work.Effect`` value)."""

    id: int
    incident_id: int | None
    kind: str
    key: str | None
    payload: dict[str, Any]  # as recorded: one of services.owed_work' payloads
    status: str
    attempts: int  # claims so far, this one included
    next_attempt_at: datetime
    locked_until: datetime | None
    last_error: str | None
    result: dict[str, Any] | None
    created_at: datetime
    done_at: datetime | None


APPROVED = "approved"


@dataclass(frozen=True)
class NoticeDraftRow:
    """One version of a drafted notice."""

    id: int
    incident_id: int
    kind: str
    locale: str
    version: int
    title: str
    audience: str
    body: str  # Markdown
    inputs_hash: str
    status: str
    approved_by: str | None
    approved_at: datetime | None
    created_at: datetime
    created_by: str
    addressee: str = ""

    @property
    def approved(self) -> bool:
        return self.status == APPROVED


@dataclass(frozen=True)
class DueStep:
    """A ready step of an open incident whose due time has come (or comes within the horizon)."""

    incident_id: int
    number: int
    step_id: str
    ready_at: datetime | None
    due_at: datetime
    playbook: Playbook  # the incident's frozen copy


@dataclass(frozen=True)
class IdleIncident:
    incident_id: int
    number: int
    last_activity_at: datetime
    playbook: Playbook


@dataclass(frozen=True)
class Intent:
    """What a Slack request asked for, recorded before its acknowledgement (the inbox)."""

    id: int
    key: str
    kind: str
    payload: dict[str, Any]  # the arguments its carrier needs, as recorded
    status: str
    attempts: int
    created_at: datetime


# --- the repositories -----------------------------------------------------------------------
class Incidents(Protocol):
    def next_number(self) -> int: ...
    def add(self, incident: Incident, idempotency_key: str | None = None) -> Incident: ...
    def get(self, number: int, for_update: bool = False) -> Incident: ...
    def get_by_id(self, incident_id: int, for_update: bool = False) -> Incident: ...
    def by_idempotency_key(self, key: str) -> Incident | None: ...
    def by_channel(self, channel_id: str) -> Incident | None: ...
    def save(self, incident: Incident) -> None: ...
    def list_open(self) -> list[Incident]: ...
    def channels(self, incident_ids: list[int]) -> dict[int, str]: ...
    def links(self, incident_id: int) -> IncidentLinks: ...
    def set_links(self, incident_id: int, **values: str | datetime | None) -> None: ...
    def touch(self, incident_id: int, at: datetime) -> None: ...


class Audit(Protocol):
    def append(
        self,
        incident_id: int | None,
        actor: str,
        action: str,
        subject: str,
        before: object,
        after: object,
        at: datetime,
    ) -> AuditEntry: ...
    def entries(self, incident_id: int | None) -> list[AuditEntry]: ...
    def verify(self, incident_number: int) -> list[str]: ...
    def head(self, incident_id: int) -> tuple[str | None, int]: ...


class Notices(Protocol):
    def add_draft(
        self,
        incident_id: int,
        kind: str,
        locale: str,
        title: str,
        audience: str,
        body: str,
        inputs_hash: str,
        created_by: str,
        at: datetime,
        addressee: str = "",
    ) -> NoticeDraftRow: ...
    def latest(self, incident_id: int) -> list[NoticeDraftRow]: ...
    def all_versions(
        self, incident_id: int, kind: str, locale: str, addressee: str | None = None
    ) -> list[NoticeDraftRow]: ...
    def get(self, draft_id: int) -> NoticeDraftRow: ...
    def approve(self, draft_id: int, by: str, at: datetime) -> NoticeDraftRow: ...


class Outbox(Protocol):
    def add(
        self,
        kind: str,
        payload: Json,
        incident_id: int | None = None,
        key: str | None = None,
        at: datetime | None = None,
    ) -> bool: ...
    def claim(
        self, now: datetime, limit: int = 10, lease_seconds: float = 60
    ) -> list[OutboxItem]: ...
    def mark_done(
        self, item_id: int, result: Json | None = None, at: datetime | None = None
    ) -> None: ...
    def mark_retry(self, item_id: int, error: str, next_attempt_at: datetime) -> None: ...
    def mark_failed(self, item_id: int, error: str, at: datetime | None = None) -> None: ...
    def pending_count(self) -> int: ...


class Inbox(Protocol):
    def record(
        self,
        key: str,
        kind: str,
        payload: Json,
        at: datetime | None = None,
        held_until: datetime | None = None,
    ) -> int | None:
        """The new intent's id; None (and nothing recorded) when ``key`` was recorded before.
        With ``held_until``, recorded already claimed until then."""
        ...

    def claim(self, intent_id: int, now: datetime, lease_seconds: float) -> Intent | None: ...
    def claim_due(self, now: datetime, lease_seconds: float, limit: int = 20) -> list[Intent]: ...
    def any_due(self, now: datetime) -> bool: ...
    def settle(
        self, intent_id: int, status: str, error: str | None = None, at: datetime | None = None
    ) -> bool: ...
    def release(self, intent_id: int, error: str, retry_at: datetime) -> None: ...
    def pending_count(self) -> int: ...
    def purge(self, settled_before: datetime) -> int: ...


class IntentLog(Protocol):
    """The inbox's bookkeeping on the hot path, outside any unit of work: each statement
    committed on its own."""

    def record_many(
        self, asked: Sequence[tuple[str, str, Json]], at: datetime, held_until: datetime
    ) -> list[int | None]:
        """Several intents (key, kind, payload), each claimed until ``held_until``; their ids
        in order, None for a key recorded before (or twice). May raise ``PartlyRecorded``."""
        ...

    def settle_many(self, outcomes: list[tuple[int, str, str | None]], at: datetime) -> set[int]:
        """Settle several pending intents (id, status, error); the ids settled now."""
        ...

    def pending(self, intent_id: int) -> Intent | None:
        """The intent, if it is still pending (read by the thread about to carry it out)."""
        ...


class IncidentPeek(Protocol):
    """Incidents read outside any unit of work, as they stand: no lock, nothing written."""

    def get(self, number: int) -> Incident:
        """The incident numbered ``number``; ``NotFound`` when there is none."""
        ...


class People(Protocol):
    def names(self, user_ids: Iterable[str]) -> dict[str, str]: ...
    def claim_lookups(
        self, user_ids: Iterable[str], now: datetime, fresh_for: timedelta, retry_after: timedelta
    ) -> list[str]: ...
    def stale(self, now: datetime, fresh_for: timedelta, limit: int = 100) -> list[str]: ...
    def remember(self, user_id: str, name: str | None, now: datetime) -> None: ...


class Reminders(Protocol):
    def due_steps(self, until: datetime) -> list[DueStep]: ...
    def idle_incidents(self, quiet_since: datetime) -> list[IdleIncident]: ...
    def step_still_due(self, incident_id: int, step_id: str, due_at: datetime) -> bool: ...
    def still_idle(self, incident_id: int, last_activity_at: datetime) -> bool: ...
    def claim(
        self, incident_id: int, step_id: str | None, kind: str, slot_at: datetime, now: datetime
    ) -> bool: ...


class BlobStore(Protocol):
    """Evidence bytes by their SHA-256: in the database (same transaction), or in a folder."""

    def put(self, content: bytes) -> str:
        """Keep ``content``; returns its SHA-256 (hex). Keeping the same bytes twice is a
        no-op."""
        ...

    def get(self, digest: str) -> bytes | None:
        """The bytes kept under ``digest`` as they are now (None when missing)."""
        ...

    def where(self) -> str:
        """A few words naming the store, for messages."""
        ...


class Evidence(Protocol):
    def add(self, item: EvidenceItem, idempotency_key: str | None = None) -> EvidenceItem: ...
    def get(self, item_id: int, for_update: bool = False) -> EvidenceItem: ...
    def of_incident(self, incident_id: int) -> list[EvidenceItem]: ...
    def count(self, incident_id: int) -> int: ...
    def check_files(self, incident_id: int, blobs: BlobStore) -> list[str]: ...
    def mark_kept(
        self,
        item_id: int,
        files: tuple[EvidenceFile, ...],
        permalink: str | None,
        at: datetime,
    ) -> EvidenceItem: ...


# --- the unit of work -----------------------------------------------------------------------
class UnitOfWork(Protocol):
    """One transaction: ``with uow: ...; uow.commit()``; the repositories share it."""

    @property
    def incidents(self) -> Incidents: ...
    @property
    def audit(self) -> Audit: ...
    @property
    def notices(self) -> Notices: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def inbox(self) -> Inbox: ...
    @property
    def people(self) -> People: ...
    @property
    def reminders(self) -> Reminders: ...
    @property
    def evidence(self) -> Evidence: ...
    @property
    def blobs(self) -> BlobStore: ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...

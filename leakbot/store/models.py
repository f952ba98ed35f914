"""The tables, as SQLAlchemy 2 typed mappings. The domain never sees these: repositories map
rows to the domain's plain dataclasses and back.

The migrations (``migrations/versions/``) create exactly these; a test checks that the two
agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from leakbot.store.types import UTCDateTime

#: Named constraints, so later migrations (batch mode on SQLite) can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: SQL NULL, not JSON ``null``, for an absent value.
Json = JSON(none_as_null=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: Json, list[Any]: Json}


class CounterRecord(Base):
    """Named counters, e.g. ``incident`` for gapless incident numbers."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class IncidentRecord(Base):
    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_status", "status"),
        # the idle sweep: open incidents with no activity since a moment
        Index("ix_incidents_status_last_activity_at", "status", "last_activity_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(Text)
    asset: Mapped[str] = mapped_column(Text, default="")
    #: the title and the asset in Chinese, for Chinese notices (optional in the report)
    title_zh: Mapped[str] = mapped_column(Text, default="", server_default="")
    asset_zh: Mapped[str] = mapped_column(Text, default="", server_default="")
    where_seen: Mapped[list[Any]] = mapped_column(default=list)
    discovered_at: Mapped[datetime | None]
    severity: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    supplier_id: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    reporter: Mapped[str] = mapped_column(String(64))
    commander: Mapped[str] = mapped_column(String(64))
    playbook_id: Mapped[str] = mapped_column(String(100))
    playbook: Mapped[dict[str, Any]]
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    close_reason: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    audit_head: Mapped[str | None] = mapped_column(String(64))
    audit_count: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime]
    channel_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    channel_name: Mapped[str | None] = mapped_column(String(80))
    checklist_ts: Mapped[str | None] = mapped_column(String(32))
    kickoff_ts: Mapped[str | None] = mapped_column(String(32))
    announced_at: Mapped[datetime | None]

    steps: Mapped[list[StepStateRecord]] = relationship(
        back_populates="incident",
        cascade="all, delete-orphan",
        order_by="StepStateRecord.id",
        lazy="selectin",
    )


class StepStateRecord(Base):
    __tablename__ = "step_states"
    __table_args__ = (
        UniqueConstraint("incident_id", "step_id", name="uq_step_states_incident_id"),
        Index("ix_step_states_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    step_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    ready_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    done_by: Mapped[str | None] = mapped_column(String(64))
    done_at: Mapped[datetime | None]
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)

    incident: Mapped[IncidentRecord] = relationship(back_populates="steps")


class AuditEntryRecord(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (UniqueConstraint("incident_id", "seq", name="uq_audit_entries_incident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    seq: Mapped[int]
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    before: Mapped[Any | None] = mapped_column(Json)
    after: Mapped[Any | None] = mapped_column(Json)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class NoticeDraftRecord(Base):
    __tablename__ = "notice_drafts"
    __table_args__ = (
        UniqueConstraint(
            "incident_id",
            "kind",
            "locale",
            "addressee",
            "version",
            name="uq_notice_drafts_incident_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(16))
    #: who this copy is addressed to when a kind is drafted once per addressee (a takedown
    #: request per platform: the host); "" for a notice drafted once
    addressee: Mapped[str] = mapped_column(String(200), default="", server_default="")
    version: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class OutboxRecord(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class PersonRecord(Base):
    """A Slack user's name as notices show it, learnt from ``users.info`` after the fact.

    ``asked_at`` is when a lookup was last owed (so a burst of actions owes one, not many);
    ``fetched_at`` when Slack last answered. ``name`` stays empty until it has.
    """

    __tablename__ = "people"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime | None]


class ReminderRecord(Base):
    """A reminder slot, claimed: the row exists exactly when its message was owed.

    The unique key makes the claim the lock: two sweeps inserting the same slot leave one row,
    and only the sweep whose insert took owes the message. ``step_id`` is ``""`` for an idle
    nudge (about no step), so the key holds on every database (NULLs never collide).
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint(
            "incident_id", "step_id", "kind", "slot_at", name="uq_reminders_incident_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    step_id: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20))
    slot_at: Mapped[datetime]
    created_at: Mapped[datetime]


class EvidenceRecord(Base):
    """One item of evidence: its files (names, hashes, sizes) are a JSON list; the bytes live
    in the evidence store, addressed by their SHA-256."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("incident_id", "number", name="uq_evidence_incident_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    number: Mapped[int]
    source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime]
    seen_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list[Any]] = mapped_column(default=list)
    files: Mapped[list[Any]] = mapped_column(default=list)
    permalink: Mapped[str | None] = mapped_column(Text)
    message_channel: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    message_author: Mapped[str | None] = mapped_column(String(64))
    message_text: Mapped[str | None] = mapped_column(Text)
    kept_at: Mapped[datetime | None]
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class EvidenceBlobRecord(Base):
    """Evidence bytes kept in the database (the default store), one row per SHA-256."""

    __tablename__ = "evidence_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


@event.listens_for(NoticeDraftRecord, "before_update")
def _approved_notices_are_frozen(_mapper: Any, _conn: Any, target: NoticeDraftRecord) -> None:
    """The last guard behind ``NoticeRepository``: what legal approved is never rewritten."""
    state = inspect(target)
    status = state.attrs.status.history
    was = status.deleted[0] if status.deleted else target.status
    changed = any(state.attrs[c.key].history.has_changes() for c in state.mapper.column_attrs)
    if was == "approved" and changed:
        raise ValueError("an approved notice version cannot be changed")


class InboxRecord(Base):
    """What a Slack request asked for, recorded before its acknowledgement.

    ``key`` names the request (Slack's ids in its body), so a replay or a retry of the same
    request finds its row and changes nothing. A process carries the intent out after the
    acknowledgement, under a lease; one that dies leaves it to the next.
    """

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_status_locked_until", "status", "locked_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]

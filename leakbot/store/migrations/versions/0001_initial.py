"""The first schema: incidents, their steps, the audit chain, notice drafts and the outbox.

Revision ID: 0001
Revises:
Create Date: 2024-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Json = sa.JSON(none_as_null=True)


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_counters"),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("asset", sa.Text(), nullable=False),
        sa.Column("where_seen", Json, nullable=False),
        _when("discovered_at"),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("supplier_id", sa.String(100), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reporter", sa.String(64), nullable=False),
        sa.Column("commander", sa.String(64), nullable=False),
        sa.Column("playbook_id", sa.String(100), nullable=False),
        sa.Column("playbook", Json, nullable=False),
        _when("opened_at", nullable=False),
        _when("closed_at"),
        sa.Column("closed_by", sa.String(64), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("audit_head", sa.String(64), nullable=True),
        sa.Column("audit_count", sa.Integer(), nullable=False),
        _when("last_activity_at", nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=True),
        sa.Column("channel_name", sa.String(80), nullable=True),
        sa.Column("checklist_ts", sa.String(32), nullable=True),
        sa.Column("kickoff_ts", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
        sa.UniqueConstraint("number", name="uq_incidents_number"),
        sa.UniqueConstraint("idempotency_key", name="uq_incidents_idempotency_key"),
        sa.UniqueConstraint("channel_id", name="uq_incidents_channel_id"),
    )
    op.create_index("ix_incidents_status", "incidents", ["status"])
    op.create_table(
        "step_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _when("ready_at"),
        _when("due_at"),
        sa.Column("done_by", sa.String(64), nullable=True),
        _when("done_at"),
        sa.Column("inputs", Json, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_step_states"),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name="fk_step_states_incident_id_incidents",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("incident_id", "step_id", name="uq_step_states_incident_id"),
    )
    op.create_index("ix_step_states_status_due_at", "step_states", ["status", "due_at"])
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        _when("at", nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("before", Json, nullable=True),
        sa.Column("after", Json, nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entries"),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name="fk_audit_entries_incident_id_incidents",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("incident_id", "seq", name="uq_audit_entries_incident_id"),
    )
    op.create_table(
        "notice_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("inputs_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=True),
        _when("approved_at"),
        _when("created_at", nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notice_drafts"),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name="fk_notice_drafts_incident_id_incidents",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "incident_id", "kind", "locale", "version", name="uq_notice_drafts_incident_id"
        ),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("key", sa.String(200), nullable=True),
        sa.Column("payload", Json, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("next_attempt_at", nullable=False),
        _when("locked_until"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("result", Json, nullable=True),
        _when("created_at", nullable=False),
        _when("done_at"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name="fk_outbox_incident_id_incidents",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("key", name="uq_outbox_key"),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("notice_drafts")
    op.drop_table("audit_entries")
    op.drop_table("step_states")
    op.drop_table("incidents")
    op.drop_table("counters")

"""Reminders sent, once each: the ``reminders`` table, ``incidents.announced_at`` and the index
the idle sweep reads.

Revision ID: 0002
Revises: 0001
Create Date: 2024-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column needs no table rebuild, on SQLite either.
    op.add_column("incidents", sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_incidents_status_last_activity_at", "incidents", ["status", "last_activity_at"]
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("slot_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name="fk_reminders_incident_id_incidents",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "incident_id", "step_id", "kind", "slot_at", name="uq_reminders_incident_id"
        ),
    )


def downgrade() -> None:
    op.drop_table("reminders")
    op.drop_index("ix_incidents_status_last_activity_at", table_name="incidents")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("announced_at")

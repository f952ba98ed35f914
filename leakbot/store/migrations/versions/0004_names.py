"""Names in notices: the ``people`` table (Slack display names, learnt after the fact), the
report's optional Chinese title and asset, and ``notice_drafts.addressee`` (a takedown request
per platform).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_KEY = ("incident_id", "kind", "locale", "version")
_NEW_KEY = ("incident_id", "kind", "locale", "addressee", "version")


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name="pk_people"),
    )
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("title_zh", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("asset_zh", sa.Text(), nullable=False, server_default=""))
    # SQLite changes a unique constraint by rebuilding the table (batch mode does that).
    with op.batch_alter_table("notice_drafts") as batch:
        batch.add_column(sa.Column("addressee", sa.String(200), nullable=False, server_default=""))
        batch.drop_constraint("uq_notice_drafts_incident_id", type_="unique")
        batch.create_unique_constraint("uq_notice_drafts_incident_id", list(_NEW_KEY))


def downgrade() -> None:
    with op.batch_alter_table("notice_drafts") as batch:
        batch.drop_constraint("uq_notice_drafts_incident_id", type_="unique")
        batch.create_unique_constraint("uq_notice_drafts_incident_id", list(_OLD_KEY))
        batch.drop_column("addressee")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("asset_zh")
        batch.drop_column("title_zh")
    op.drop_table("people")

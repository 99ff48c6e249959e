"""First meetings: the slots offered to a pair or circle, and the one they picked

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 16:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("pairing", "circle"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("slots", sa.JSON(), nullable=False, server_default="[]"))
            batch_op.add_column(sa.Column("meeting_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    for table in ("pairing", "circle"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("meeting_at")
            batch_op.drop_column("slots")

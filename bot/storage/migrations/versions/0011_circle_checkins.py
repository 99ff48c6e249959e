"""Circles get a term, check-ins and feedback: circle status and end, feedback on a circle

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="active"
            )
        )
        batch_op.add_column(sa.Column("ends_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.alter_column("pairing_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("circle_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_feedback_circle", "circle", ["circle_id"], ["id"], ondelete="CASCADE")
        batch_op.create_index("ix_feedback_circle", ["circle_id", "kind"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM feedback WHERE pairing_id IS NULL")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_circle")
        batch_op.drop_constraint("fk_feedback_circle", type_="foreignkey")
        batch_op.drop_column("circle_id")
        batch_op.alter_column("pairing_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_column("ends_at")
        batch_op.drop_column("status")

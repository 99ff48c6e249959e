"""Program settings: admins review each round before it is published

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 13:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("program_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("review_before_publish", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("review_hours", sa.Integer(), nullable=False, server_default="24"))
        batch_op.add_column(
            sa.Column(
                "review_expiry",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="publish",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("program_settings", schema=None) as batch_op:
        batch_op.drop_column("review_expiry")
        batch_op.drop_column("review_hours")
        batch_op.drop_column("review_before_publish")

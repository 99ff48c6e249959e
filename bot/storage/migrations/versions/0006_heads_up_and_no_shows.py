"""Heads-up before each round (setting, members' choices, notices sent) and no-show pauses

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 13:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("program_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heads_up_hours", sa.Integer(), nullable=False, server_default="24"))
        batch_op.add_column(sa.Column("no_show_limit", sa.Integer(), nullable=False, server_default="3"))
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pause_reason", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(sa.Column("attention_since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("heads_up", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(
            sa.Column("skip_period", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
    op.create_table(
        "heads_up",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["workspace.team_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "period"),
    )


def downgrade() -> None:
    op.drop_table("heads_up")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("skip_period")
        batch_op.drop_column("heads_up")
        batch_op.drop_column("attention_since")
        batch_op.drop_column("pause_reason")
    with op.batch_alter_table("program_settings", schema=None) as batch_op:
        batch_op.drop_column("no_show_limit")
        batch_op.drop_column("heads_up_hours")

"""Peer learning circles: the program format and the circles each round forms

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("program_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "format", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default="pairs"
            )
        )
    op.create_table(
        "circle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("rotation", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["workspace.team_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_circle_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circle_team_id"))
    op.drop_table("circle")
    with op.batch_alter_table("program_settings", schema=None) as batch_op:
        batch_op.drop_column("format")

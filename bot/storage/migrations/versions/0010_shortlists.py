"""The shortlist format: each round's options per mentee, mentees' requests, and each round's format

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_string = sqlmodel.sql.sqltypes.AutoString


def _members(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["team_id", column], ["member.team_id", "member.user_id"], ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("program_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shortlist_size", sa.Integer(), nullable=False, server_default="3"))
        batch_op.add_column(sa.Column("request_days", sa.Integer(), nullable=False, server_default="3"))
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(sa.Column("format", _string(length=16), nullable=False, server_default="pairs"))
    op.execute(  # rounds before this revision kept their format only in their stats
        sa.text("UPDATE round SET format = 'circles' WHERE CAST(stats AS TEXT) LIKE :circles").bindparams(
            circles='%"format": "circles"%'
        )
    )
    op.create_table(
        "shortlist_option",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _string(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", _string(length=32), nullable=False),
        sa.Column("mentor_id", _string(length=32), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"], ondelete="CASCADE"),
        _members("mentee_id"),
        _members("mentor_id"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_shortlist_option_mentee", "shortlist_option", ["team_id", "mentee_id", "round_id"], unique=False
    )
    op.create_table(
        "mentor_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _string(length=32), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", _string(length=32), nullable=False),
        sa.Column("mentor_id", _string(length=32), nullable=False),
        sa.Column("status", _string(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("answered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("pairing_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["option_id"], ["shortlist_option.id"], ondelete="CASCADE"),
        _members("mentee_id"),
        _members("mentor_id"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mentor_request_open", "mentor_request", ["status", "expires_at"], unique=False)
    op.create_index(
        "ix_mentor_request_members", "mentor_request", ["team_id", "mentor_id", "mentee_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_mentor_request_members", table_name="mentor_request")
    op.drop_index("ix_mentor_request_open", table_name="mentor_request")
    op.drop_table("mentor_request")
    op.drop_index("ix_shortlist_option_mentee", table_name="shortlist_option")
    op.drop_table("shortlist_option")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("format")
    with op.batch_alter_table("program_settings", schema=None) as batch_op:
        batch_op.drop_column("request_days")
        batch_op.drop_column("shortlist_size")

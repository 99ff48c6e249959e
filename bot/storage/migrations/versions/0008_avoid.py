"""Members' private "never pair me with" lists

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "avoid",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("other_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id", "user_id"], ["member.team_id", "member.user_id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", "other_id"),
    )


def downgrade() -> None:
    op.drop_table("avoid")

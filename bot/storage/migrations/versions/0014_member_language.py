"""Each member's language: the locale Slack reports, and the one they chose in their profile

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        for name in ("slack_locale", "language"):
            batch_op.add_column(
                sa.Column(
                    name, sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default=""
                )
            )


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("language")
        batch_op.drop_column("slack_locale")

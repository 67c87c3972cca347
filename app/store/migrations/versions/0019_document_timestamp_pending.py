"""an original sealed without its timestamp (the TSA was down) waits for one

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 16:00:00

`documents.timestamp_pending`: the original was sealed PAdES B-B because the time-stamping
service did not answer; a document timestamp is added to the stored original once it answers
again (`buergerbuero timestamps add`, the window on its own).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("timestamp_pending", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("timestamp_pending")

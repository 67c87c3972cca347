"""cases awaiting data entry from a scanned paper form

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 02:10:00

A scan of our paper form becomes a case whose applicant and values a clerk types from the
scan: until then the case has no birth date and cannot be approved.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("birth_date", existing_type=sa.Date(), nullable=True)
        batch_op.add_column(
            sa.Column("needs_data_entry", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("needs_data_entry")
        batch_op.alter_column("birth_date", existing_type=sa.Date(), nullable=False)

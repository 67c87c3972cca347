"""quarantine shows service and applicant

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:35:00

A quarantined submission keeps the service's name and the applicant's name where they could
be read before it was refused, so the clerk's list says more than an id and a reason.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("intake_submissions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("service_name", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("applicant", sa.String(length=200), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("intake_submissions", schema=None) as batch_op:
        batch_op.drop_column("applicant")
        batch_op.drop_column("service_name")

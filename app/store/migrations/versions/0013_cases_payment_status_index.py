"""an index for the money figures of the supervisors' report

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 12:40:00

"Unpaid" and "paid, not released" counted the whole cases table on every dashboard opening;
an index on (payment, status, office) makes them two short range reads.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cases_payment_status", "cases", ["payment", "status", "office_id"])


def downgrade() -> None:
    op.drop_index("ix_cases_payment_status", table_name="cases")

"""the applicant's mobile number, for the pickup code by SMS

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 11:50:00

Optional, like the e-mail address: where a citizen gives one and the city has an SMS gateway,
the pickup box's code and reminder go by SMS as well.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mobile_phone", sa.String(length=24), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("mobile_phone")

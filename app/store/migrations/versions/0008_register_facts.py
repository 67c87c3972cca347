"""register facts confirmed by a clerk

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:50:00

A seat without a population-register adapter issues a Meldebescheinigung or a civil-status
certificate only from register facts a clerk read in the register and confirmed on the case.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "register_facts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("confirmed_by", sa.String(length=64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_register_facts_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_facts")),
    )
    with op.batch_alter_table("register_facts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_facts_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("register_facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_facts_case_id"))
    op.drop_table("register_facts")

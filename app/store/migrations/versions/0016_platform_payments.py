"""payments on the city's payment platform

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 11:00:00

One row per payment a case has had on the platform: a payment the citizen made (or began) on
the portal, or a payment link the office created. `request_id` is the key the payment was
created with, unique, so a creation repeated after a lost answer finds its row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "platform_payments",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("case_id", Id, nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=True),
        sa.Column("transaction_id", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("status_url", sa.Text(), nullable=False),
        sa.Column("pay_url", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("problem", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_platform_payments_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_payments")),
        sa.UniqueConstraint("request_id", name=op.f("uq_platform_payments_request_id")),
    )
    with op.batch_alter_table("platform_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_platform_payments_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_platform_payments_due", ["status", "next_check_at"], unique=False)


def downgrade() -> None:
    op.drop_table("platform_payments")

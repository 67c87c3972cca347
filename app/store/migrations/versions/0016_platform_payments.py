"""payments on the city's payment platform, and the counter till

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 11:00:00

One row per payment a case has had on the platform: a payment the citizen made (or began) on
the portal, or a payment link the office created. `request_id` is the key the payment was
created with, unique, so a creation repeated after a lost answer finds its row.

The counter till: its journal (append-only; a cancellation is a row naming the one it
cancels, at most one per booking), each counter's day with its closing, and the receipt
numbers per office and year.
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

    op.create_table(
        "receipt_counters",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_receipt_counters_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("office_id", "year", name=op.f("pk_receipt_counters")),
    )
    op.create_table(
        "till_days",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("expected_cash_cents", sa.Integer(), nullable=False),
        sa.Column("counted_cash_cents", sa.Integer(), nullable=True),
        sa.Column("card_cents", sa.Integer(), nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.String(length=64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_till_days_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("office_id", "counter", "day", name=op.f("pk_till_days")),
    )
    op.create_table(
        "till_entries",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("case_id", Id, nullable=False),
        sa.Column("case_reference", sa.String(length=20), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("receipt", sa.String(length=24), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancels", Id, nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_till_entries_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["cancels"], ["till_entries.id"], name=op.f("fk_till_entries_cancels_till_entries")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_till_entries_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_till_entries")),
        sa.UniqueConstraint("cancels", name=op.f("uq_till_entries_cancels")),
        sa.UniqueConstraint("receipt", name=op.f("uq_till_entries_receipt")),
    )
    with op.batch_alter_table("till_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_till_entries_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_till_entries_day", ["office_id", "counter", "day"], unique=False)


def downgrade() -> None:
    op.drop_table("till_entries")
    op.drop_table("till_days")
    op.drop_table("receipt_counters")
    op.drop_table("platform_payments")

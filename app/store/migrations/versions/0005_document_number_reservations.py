"""document number reservations: numbers are reserved before sealing, then issued or voided

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:40:00

Every number issued before this revision becomes an 'issued' entry, so the register stays
complete for the years already under way.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_numbers",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reserved_by", sa.String(length=64), nullable=False),
        sa.Column("void_reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_document_numbers_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_numbers")),
        sa.UniqueConstraint("number", name=op.f("uq_document_numbers_number")),
    )
    op.create_index(
        op.f("ix_document_numbers_case_id"), "document_numbers", ["case_id"], unique=False
    )
    op.create_index(op.f("ix_document_numbers_state"), "document_numbers", ["state"], unique=False)
    op.execute(
        "INSERT INTO document_numbers "
        "(number, year, serial, kind, case_id, state, reserved_at, reserved_by, void_reason) "
        "SELECT number, year, serial, kind, case_id, 'issued', issued_at, issued_by, '' "
        "FROM documents"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_document_numbers_state"), table_name="document_numbers")
    op.drop_index(op.f("ix_document_numbers_case_id"), table_name="document_numbers")
    op.drop_table("document_numbers")

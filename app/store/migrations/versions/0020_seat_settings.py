"""what each seat last ran with, so a change of its settings or trust list is audited

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 19:40:00

`seat_settings`: per seat, its settings (JSON, no secrets) and the SHA-256 of its trust list
when it last started; a seat that starts with other values appends `settings.changed` /
`trust_list.changed` audit records with the old and new values. Two lookups for a person's
access report and the retrieval log: cases by birth date, audit records by subject (who read
a case) and by actor and time (what one member of staff read). Retention: `cases.legal_hold`
(a reason keeps the case's data) and `cases.anonymised_at` (its personal data deleted);
`audit_head.pruned_seq/pruned_hash`: where the chain starts once its oldest records are gone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "seat_settings",
        sa.Column("seat", sa.String(length=64), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("trust_list", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seat", name=op.f("pk_seat_settings")),
    )
    op.create_index("ix_cases_birth_date", "cases", ["birth_date"])
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("legal_hold", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_audit_records_subject", "audit_records", ["subject"])
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pruned_seq", Id, nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("pruned_hash", sa.String(length=64), nullable=False, server_default="0" * 64)
        )
    op.create_index("ix_audit_records_actor_at", "audit_records", ["actor", "at"])


def downgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("pruned_hash")
        batch_op.drop_column("pruned_seq")
    op.drop_index("ix_audit_records_actor_at", table_name="audit_records")
    op.drop_index("ix_audit_records_subject", table_name="audit_records")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
        batch_op.drop_column("legal_hold")
    op.drop_index("ix_cases_birth_date", table_name="cases")
    op.drop_table("seat_settings")

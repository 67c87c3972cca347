"""working through an outage: number blocks, a journal's state, merges and their conflicts

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 15:00:00

`number_blocks`: the numbers each seat reserved in advance (case references and receipts per
office and year, document numbers per year), taken from the central counters; in a seat's
journal its own blocks with `here` set. `journal_state`: a journal's own facts (empty in the
central database). `merged_items`: each journal item carried into the central database, in
the transaction that carries it (a merge killed halfway resumes). `merge_conflicts`: what a
merge found and left to a supervisor, both sides as JSON.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "number_blocks",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("series", sa.String(length=12), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("seat", sa.String(length=64), nullable=False),
        sa.Column("here", sa.Boolean(), nullable=False),
        sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reserved_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_number_blocks_office_id_offices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_blocks")),
    )
    op.create_index(
        "ix_number_blocks_series", "number_blocks", ["series", "office_id", "year"], unique=False
    )
    op.create_table(
        "journal_state",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_journal_state")),
    )
    op.create_table(
        "merged_items",
        sa.Column("journal", sa.String(length=36), nullable=False),
        sa.Column("item", sa.String(length=80), nullable=False),
        sa.Column("central_id", Id, nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("journal", "item", name=op.f("pk_merged_items")),
    )
    op.create_table(
        "merge_conflicts",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("journal", sa.String(length=36), nullable=False),
        sa.Column("seat", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("central", sa.Text(), nullable=False),
        sa.Column("local", sa.Text(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(length=64), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_conflicts")),
    )
    op.create_index(
        op.f("ix_merge_conflicts_journal"), "merge_conflicts", ["journal"], unique=False
    )


def downgrade() -> None:
    op.drop_table("merge_conflicts")
    op.drop_table("merged_items")
    op.drop_table("journal_state")
    op.drop_table("number_blocks")

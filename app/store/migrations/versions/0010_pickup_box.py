"""the pickup box: loadings, events, cursors, issues

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 06:30:00

An item's stay in a compartment (with the partial unique indexes that let the database decide
two clerks loading at once), every event a box reported, how far each box was read, and what a
supervisor has to resolve.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ACTIVE = "state IN ('opening', 'loaded', 'retrieving')"


def upgrade() -> None:
    op.create_table(
        "box_loadings",
        sa.Column("id", ID, nullable=False),
        sa.Column("case_id", ID, nullable=False),
        sa.Column("office_code", sa.String(length=8), nullable=False),
        sa.Column("compartment", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("size", sa.String(length=2), nullable=False),
        sa.Column("step_free", sa.Boolean(), nullable=False),
        sa.Column("hold_days", sa.Integer(), nullable=False),
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notice_pending", sa.String(length=12), nullable=False),
        sa.Column("loaded_by", sa.String(length=64), nullable=False),
        sa.Column("confirmed_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_box_loadings_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_box_loadings")),
    )
    with op.batch_alter_table("box_loadings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_box_loadings_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_box_loadings_office_state", ["office_code", "state"], unique=False
        )
        batch_op.create_index(
            "uq_box_loadings_active_compartment",
            ["office_code", "compartment"],
            unique=True,
            sqlite_where=sa.text(ACTIVE),
            postgresql_where=sa.text(ACTIVE),
        )
        batch_op.create_index(
            "uq_box_loadings_active_case",
            ["case_id"],
            unique=True,
            sqlite_where=sa.text(ACTIVE),
            postgresql_where=sa.text(ACTIVE),
        )
    op.create_table(
        "box_events",
        sa.Column("id", ID, nullable=False),
        sa.Column("office_code", sa.String(length=8), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("compartment", sa.String(length=16), nullable=True),
        sa.Column("reference", sa.String(length=20), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_box_events")),
    )
    with op.batch_alter_table("box_events", schema=None) as batch_op:
        batch_op.create_index(
            "uq_box_events_office_event", ["office_code", "event_id"], unique=True
        )
    op.create_table(
        "box_cursors",
        sa.Column("office_code", sa.String(length=8), nullable=False),
        sa.Column("cursor", sa.String(length=40), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("office_code", name=op.f("pk_box_cursors")),
    )
    op.create_table(
        "box_issues",
        sa.Column("id", ID, nullable=False),
        sa.Column("office_code", sa.String(length=8), nullable=False),
        sa.Column("compartment", sa.String(length=16), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_box_issues")),
    )
    with op.batch_alter_table("box_issues", schema=None) as batch_op:
        batch_op.create_index(
            "ix_box_issues_office_open", ["office_code", "resolved_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("box_issues")
    op.drop_table("box_cursors")
    op.drop_table("box_events")
    op.drop_table("box_loadings")

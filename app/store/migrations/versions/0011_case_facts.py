"""case facts: one summary row per case for the supervisors' figures

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:00:00

The reports grouped a year's events (1.5 million for a city of 100,000) for every figure; a
row per case with its first decision and handover, kept current by the transitions, lets them
group 250,000 narrow rows instead. Filled here from the cases and their events.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# covering indexes: each figure's query reads one index, never the rows
INDEXES = {
    "ix_case_facts_received": ["received_at", "received_day", "service_id", "channel", "office_id"],
    "ix_case_facts_decided": [
        "decided_at",
        "service_id",
        "received_day",
        "decided_day",
        "office_id",
        "decided_by",
        "decision_seconds",
        "received_at",
    ],
    "ix_case_facts_handed": ["handed_at", "service_id", "office_id", "handover_seconds"],
    "ix_case_facts_decision_time": ["service_id", "decision_seconds", "decided_at", "office_id"],
    "ix_case_facts_handover_time": ["service_id", "handover_seconds", "handed_at", "office_id"],
}


def _sql(dialect: str) -> tuple[str, str]:
    """The UTC day of an instant and the seconds between two, in this engine's SQL."""
    if dialect == "postgresql":
        return (
            "to_char(({x}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            "EXTRACT(EPOCH FROM (({b}) - ({a})))",
        )
    return "date({x})", "((julianday({b}) - julianday({a})) * 86400.0)"


def upgrade() -> None:
    op.create_table(
        "case_facts",
        sa.Column("case_id", ID, nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_day", sa.String(length=10), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_day", sa.String(length=10), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decision_seconds", sa.Float(), nullable=True),
        sa.Column("handed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handover_seconds", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_facts_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_facts")),
    )
    day, seconds = _sql(op.get_bind().dialect.name)
    first = (
        "(SELECT min(e.at) FROM case_events e WHERE e.case_id = case_facts.case_id "
        "AND e.action IN ({actions}))"
    )
    decided = first.format(actions="'approve', 'reject'")
    op.execute(
        "INSERT INTO case_facts (case_id, office_id, service_id, channel, received_at, "
        f"received_day) SELECT id, office_id, service_id, channel, received_at, "
        f"{day.format(x='received_at')} FROM cases"
    )
    op.execute(f"UPDATE case_facts SET decided_at = {decided}")
    op.execute(
        "UPDATE case_facts SET "
        f"decided_day = {day.format(x='decided_at')}, "
        f"decision_seconds = {seconds.format(a='received_at', b='decided_at')}, "
        "decided_by = (SELECT min(e.actor) FROM case_events e WHERE e.case_id = "
        "case_facts.case_id AND e.action IN ('approve', 'reject') AND e.at = case_facts.decided_at)"
        " WHERE decided_at IS NOT NULL"
    )
    op.execute(
        f"UPDATE case_facts SET handed_at = {first.format(actions=repr('hand_over') + ', ' + repr('collect'))}"
    )
    op.execute(
        "UPDATE case_facts SET "
        f"handover_seconds = {seconds.format(a='decided_at', b='handed_at')} "
        "WHERE handed_at IS NOT NULL AND decided_at IS NOT NULL"
    )
    with op.batch_alter_table("case_facts", schema=None) as batch_op:
        for name, columns in INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    op.drop_table("case_facts")

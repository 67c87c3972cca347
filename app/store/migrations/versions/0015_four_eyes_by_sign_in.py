"""four eyes by the second clerk's own sign-in: a loading can wait for confirmation

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 07:10:00

With four eyes the first clerk typed the second clerk's login into the loading dialog. Now the
loading waits in the new state 'confirming' (its compartment held, the door shut) until a
second clerk confirms it at their own seat, signed in as themselves. The partial unique
indexes count the new state as active.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ACTIVE = "state IN ('reserved', 'door_open', 'loaded', 'code_sent', 'retrieving')"
ACTIVE = "state IN ('confirming', 'reserved', 'door_open', 'loaded', 'code_sent', 'retrieving')"


def _indexes(active: str) -> None:
    with op.batch_alter_table("box_loadings", schema=None) as batch_op:
        batch_op.create_index(
            "uq_box_loadings_active_compartment",
            ["office_code", "compartment"],
            unique=True,
            sqlite_where=sa.text(active),
            postgresql_where=sa.text(active),
        )
        batch_op.create_index(
            "uq_box_loadings_active_case",
            ["case_id"],
            unique=True,
            sqlite_where=sa.text(active),
            postgresql_where=sa.text(active),
        )


def _drop_indexes() -> None:
    with op.batch_alter_table("box_loadings", schema=None) as batch_op:
        batch_op.drop_index("uq_box_loadings_active_case")
        batch_op.drop_index("uq_box_loadings_active_compartment")


def upgrade() -> None:
    _drop_indexes()
    _indexes(ACTIVE)


def downgrade() -> None:
    _drop_indexes()
    # a loading still waiting for its second clerk never opened a door: it ends
    op.execute("UPDATE box_loadings SET state = 'cancelled' WHERE state = 'confirming'")
    _indexes(OLD_ACTIVE)

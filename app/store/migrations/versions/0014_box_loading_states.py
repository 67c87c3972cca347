"""a box loading's state machine: reserved, door open, loaded, code sent

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 04:30:00

A loading was 'opening' from its claim until the door closed, and 'loaded' with or without a
code the citizen had received (`notice_pending`). Now each step is a state: 'reserved' (claimed,
the door not open yet), 'door_open', 'loaded' (the code not delivered yet) and 'code_sent';
`notice_pending` goes. The partial unique indexes count every active state.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ACTIVE = "state IN ('opening', 'loaded', 'retrieving')"
ACTIVE = "state IN ('reserved', 'door_open', 'loaded', 'code_sent', 'retrieving')"


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
    op.execute("UPDATE box_loadings SET state = 'door_open' WHERE state = 'opening'")
    op.execute(
        "UPDATE box_loadings SET state = 'code_sent' WHERE state = 'loaded' AND notice_pending = ''"
    )
    with op.batch_alter_table("box_loadings", schema=None) as batch_op:
        batch_op.drop_column("notice_pending")
    _indexes(ACTIVE)


def downgrade() -> None:
    _drop_indexes()
    with op.batch_alter_table("box_loadings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notice_pending", sa.String(length=12), nullable=False, server_default="")
        )
    op.execute("UPDATE box_loadings SET notice_pending = 'code' WHERE state = 'loaded'")
    op.execute("UPDATE box_loadings SET state = 'loaded' WHERE state = 'code_sent'")
    op.execute("UPDATE box_loadings SET state = 'opening' WHERE state IN ('reserved', 'door_open')")
    _indexes(OLD_ACTIVE)

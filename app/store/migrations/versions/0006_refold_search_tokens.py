"""refold search tokens: every Latin diacritic and ICAO's transliterations fold

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 22:10:00

The search key now drops every diacritic ('Ayşe' is found by 'ayse') and folds the letters
ICAO 9303 transliterates (ø, æ, ł, ...); the stored tokens are made again with it, so cases
from before find the same way as new ones.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The tokenizer is the application's own: tokens must match what new cases get.
    from app.domain.inbox import search_tokens

    connection = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("id"),
        sa.column("reference"),
        sa.column("family_name"),
        sa.column("given_names"),
    )
    tokens = sa.table("case_tokens", sa.column("token"), sa.column("case_id"))
    rows = connection.execute(
        sa.select(cases.c.id, cases.c.reference, cases.c.family_name, cases.c.given_names)
    ).all()
    connection.execute(tokens.delete())
    for start in range(0, len(rows), 5000):
        batch = [
            {"token": token, "case_id": row.id}
            for row in rows[start : start + 5000]
            for token in search_tokens(row.reference, row.family_name, row.given_names)
        ]
        if batch:
            connection.execute(tokens.insert(), batch)


def downgrade() -> None:
    """The older tokens are a subset of what the newer key finds: nothing to undo."""

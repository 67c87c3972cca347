"""Alembic environment: takes a Connection from the application, or a URL from the config."""

from alembic import context
from sqlalchemy import Connection

from app.store.database import make_engine
from app.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "set sqlalchemy.url or pass a connection"
    engine = make_engine(url)
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()

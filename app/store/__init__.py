"""Storage: SQLAlchemy 2 typed rows, repositories, Alembic migrations shipped in the package."""

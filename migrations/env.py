"""Alembic environment: the portal's own engine and tables."""
from alembic import context
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table)
from models.db import get_engine

url = context.config.attributes.get('database_url')
if url is None:
    from config import get_settings

    url = get_settings().database_url


def run_migrations_online() -> None:
    with get_engine(url, long_statements=True).connect() as connection:  # no statement timeout
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=connection.dialect.name == 'sqlite',  # SQLite alters tables by copying them
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()

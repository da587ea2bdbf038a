"""Reset a demo installation: delete every row and load the demo data again (`python -m services.demo_reset`,
`make demo-reset`). Refuses unless DEMO_DATA is on, so it cannot wipe a real installation by mistake.

The schema stays (Alembic's version table is not touched); everyone signed in is signed out, since their session
rows go too.
"""
from __future__ import annotations

import logging
import sys

from sqlmodel import SQLModel, delete

import models  # noqa: F401  (registers every table on the metadata)
from config import get_settings, load_settings_or_exit
from models.db import session_scope

from .catalogue import sync_services
from .demo_data import load_demo_data

log = logging.getLogger(__name__)


class NotADemoInstallation(RuntimeError):
    """DEMO_DATA is off: this database may hold real people's data."""


def reset_demo_data() -> dict[str, int]:
    """Delete every row (children before parents) and reload the demo data; returns the deleted counts by table."""
    if not get_settings().demo_data:
        raise NotADemoInstallation('DEMO_DATA is off: refusing to delete the data')
    deleted: dict[str, int] = {}
    with session_scope() as db:
        for table in reversed(SQLModel.metadata.sorted_tables):
            deleted[table.name] = db.exec(delete(table)).rowcount
    sync_services()
    load_demo_data()
    log.warning('Demo data reset: %d rows deleted and the demo data loaded again', sum(deleted.values()))
    return deleted


def main() -> int:
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    load_settings_or_exit()
    try:
        deleted = reset_demo_data()
    except NotADemoInstallation as error:
        print(f'demo-reset: {error}. Set DEMO_DATA=true only in a demo installation.', file=sys.stderr)
        return 2
    print(f'Demo data reset: {sum(deleted.values())} rows deleted, demo data loaded.')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())

"""What must hold before the portal serves anyone: the schema at head, the catalogue, and the demo data if on."""
import logging
import sys

from sqlalchemy.exc import OperationalError

from config import Settings

from .catalogue import sync_services
from .demo_data import load_demo_data
from .forms.versions import publish_all

log = logging.getLogger(__name__)


def prepare_database(settings: Settings) -> None:
    from models.db import migrate, startup_lock

    with startup_lock(settings.database_url):  # instances starting together take turns
        migrate(settings.database_url)
        sync_services()
        publish_all()  # a changed form becomes a new version; old requests keep theirs
        if settings.demo_data:
            load_demo_data()


def prepare_database_or_exit(settings: Settings) -> None:
    try:
        prepare_database(settings)
    except OperationalError as error:
        print(f'Database error: cannot use DATABASE_URL ({error.orig})', file=sys.stderr)
        raise SystemExit(2) from None

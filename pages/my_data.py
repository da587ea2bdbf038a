"""/omat-tiedot/omat-tietoni.zip: the signed-in person's own data as a ZIP (never anyone else's: the export reads
only the session's own user)."""
from __future__ import annotations

from fastapi.responses import Response
from nicegui import app

from auth import session
from components.my_data_section import DOWNLOAD_PATH
from services.my_data import EXPORT_FILENAME, export_my_data


def download_my_data() -> Response:
    user = session.current_user()
    if user is None:  # the access middleware sends anonymous visitors to sign in; this is the second lock
        return Response(status_code=403)
    return Response(export_my_data(user), media_type='application/zip', headers={
        'Content-Disposition': f'attachment; filename="{EXPORT_FILENAME}"',
        'Cache-Control': 'no-store',  # personal data must not stay in a shared cache
    })


def register() -> None:
    app.add_api_route(DOWNLOAD_PATH, download_my_data, methods=['GET'])

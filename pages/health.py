"""A plain health route for load balancers: it creates no NiceGUI client and checks the database."""
from fastapi.responses import JSONResponse
from nicegui import app
from sqlalchemy import text

from models.db import get_engine


def health() -> JSONResponse:
    try:
        with get_engine().connect() as connection:
            connection.execute(text('SELECT 1'))
    except Exception:
        return JSONResponse({'status': 'database unavailable'}, status_code=503)
    return JSONResponse({'status': 'ok'})


def register() -> None:
    app.add_api_route('/health', health, methods=['GET'])

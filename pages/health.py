"""Plain health routes for load balancers: they create no NiceGUI client.

`/health` is the readiness check (the database answers); `/health/live` only says the process and its event loop
answer, without touching the database (a liveness probe must not restart an instance because its database is away).
"""
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


async def live() -> JSONResponse:
    return JSONResponse({'status': 'ok'})  # async on purpose: it answers from the event loop itself


def register() -> None:
    app.add_api_route('/health', health, methods=['GET'])
    app.add_api_route('/health/live', live, methods=['GET'])

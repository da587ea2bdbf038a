"""Wiring: settings, database, access control, pages, then NiceGUI."""
from nicegui import app, ui

import pages
from auth import page_guard
from auth.access import AccessMiddleware
from auth.kiosk import KioskMiddleware
from auth.security_headers import SecurityHeadersMiddleware, restrict_socket_origin
from auth.upload_limit import UploadLimitMiddleware
from config import load_settings_or_exit
from portal import loop_watch
from portal.logs import configure_logging
from portal.metrics import install_metrics
from services import live
from services.email.delivery import start_email_delivery, stop_email_delivery
from services.log_hygiene import escape_log_values
from services.retention import start_retention_schedule
from services.startup import prepare_database_or_exit

settings = load_settings_or_exit()
configure_logging(settings)  # text or JSON lines (LOG_FORMAT), with user id and request number where known
escape_log_values()  # control characters in logged values are escaped (no forged lines)
prepare_database_or_exit(settings)

# Quasar's request loading bar is a progress bar without an accessible name (axe: aria-progressbar-name).
app.config.quasar_config['loadingBar']['skipHijack'] = True
app.add_middleware(AccessMiddleware)
app.add_middleware(KioskMiddleware)  # no-store pages and Clear-Site-Data on sign-out when KIOSK_MODE is on
app.add_middleware(UploadLimitMiddleware)  # NiceGUI checks upload sizes only in the browser
install_metrics(settings)  # Prometheus: outermost middleware, /metrics behind METRICS_TOKEN or on METRICS_PORT
pages.register_all()
page_guard.install()  # open pages: events and uploads need their session still live; sign-out reaches them
app.add_middleware(SecurityHeadersMiddleware)  # added last, so outermost: CSP with a nonce, no framing, HSTS
restrict_socket_origin(settings)  # NiceGUI's socket allows every origin by default
app.on_startup(start_email_delivery)  # the outbox's SMTP delivery loop (none without SMTP_HOST)
app.on_shutdown(stop_email_delivery)
app.on_startup(start_retention_schedule)  # hourly: expired drafts and resolved requests' personal data
app.on_startup(lambda: live.start(settings.database_url))  # live updates between instances (Redis or PostgreSQL)
app.on_shutdown(live.stop)
app.on_startup(loop_watch.start_from_env)  # PORTAL_LOOP_WATCH_MS: report stalls and SQL on the loop
app.on_shutdown(loop_watch.stop)

if __name__ in {'__main__', '__mp_main__'}:
    ui.run(
        host=settings.host,
        port=settings.port,
        title=settings.brand_name.capitalize(),
        language='fi',
        storage_secret=settings.storage_secret,
        session_middleware_kwargs={'https_only': settings.secure_cookies, 'same_site': 'lax'},
        reload=False,
        show=False,
        favicon='🏛️',
        show_welcome_message=False,
        # Client addresses (login throttling) come from X-Forwarded-For only when the proxy is one of these.
        forwarded_allow_ips=settings.trusted_proxies,
        log_config=None,  # uvicorn's lines go through configure_logging's handler
        reconnect_timeout=10,  # the default 3 s (ping timeout 2 s) dropped sockets of busy clients under load
    )

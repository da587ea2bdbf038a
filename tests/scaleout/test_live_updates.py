"""Live updates across two instances: a handler writes on one instance, and the citizen's open request page on the
other shows the message without a reload; the citizen's answer shows on the handler's open view. Once through Redis
pub/sub (NICEGUI_REDIS_URL set, as in the scale-out setup) and once through PostgreSQL LISTEN/NOTIFY (no Redis)."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import sign_in_with_password
from tests.support.browser import wait_for_page
from tests.support.server import PortalServer, start_portal
from tests.support.staff import DEMO_PASSWORD, sign_in_as_staff

from .conftest import REDIS_HOST, REDIS_PORT, SHARED_SECRETS

SHOTS = Path('test-artifacts/scaleout')


@pytest.fixture(params=['redis', 'postgresql'])
def two_instances(request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str) -> Iterator[list[PortalServer]]:
    settings = dict(SHARED_SECRETS)
    prefix = f'portal-live-{uuid.uuid4().hex[:8]}:'
    if request.param == 'redis':
        settings |= {'NICEGUI_REDIS_URL': f'redis://{REDIS_HOST}:{REDIS_PORT}/0', 'NICEGUI_REDIS_KEY_PREFIX': prefix}
    instances = [start_portal(tmp_path / f'instance{n}', postgres_url, **settings) for n in (1, 2)]
    yield instances
    for instance in instances:
        instance.stop()
    if request.param == 'redis':
        import redis

        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
        keys = list(client.scan_iter(f'{prefix}*'))
        if keys:
            client.delete(*keys)


def test_a_message_written_on_one_instance_appears_on_the_citizens_page_on_the_other(
        browser: Browser, two_instances: list[PortalServer], request: pytest.FixtureRequest) -> None:
    citizen_instance, handler_instance = two_instances
    citizen_context = browser.new_context(base_url=citizen_instance.base_url, viewport={'width': 390, 'height': 844},
                                          locale='fi-FI')
    handler_context = browser.new_context(base_url=handler_instance.base_url, viewport={'width': 1280, 'height': 900},
                                          locale='fi-FI')
    try:
        citizen, handler = citizen_context.new_page(), handler_context.new_page()
        sign_in_with_password(citizen, 'onni.korhonen', DEMO_PASSWORD)
        citizen.goto('/oma-asiointi/979738')
        wait_for_page(citizen)
        sign_in_as_staff(handler)
        handler.goto('/kasittely/pyynto/979738')
        wait_for_page(handler)

        message = f'Viesti toiselta instanssilta ({request.node.callspec.id}).'
        handler.get_by_text('Viesti asiakkaalle', exact=True).click()
        handler.get_by_label('Teksti').fill(message)
        handler.get_by_role('button', name='Lähetä viesti').click()
        expect(handler.get_by_role('status').filter(has_text='Viesti lähetetty asiakkaalle.')).to_be_visible()

        expect(citizen.get_by_text(message)).to_be_visible(timeout=10_000)
        expect(citizen.get_by_role('status').filter(has_text='Uusi viesti palvelukeskukselta.')).to_be_visible()
        SHOTS.mkdir(parents=True, exist_ok=True)
        citizen.screenshot(path=str(SHOTS / f'live-message-{request.node.callspec.id}-390.png'), full_page=True)

        answer = 'Kiitos, vastaan tästä.'
        citizen.get_by_label('Viesti', exact=True).fill(answer)
        citizen.get_by_role('button', name='Lähetä vastaus').click()
        expect(handler.get_by_text(answer)).to_be_visible(timeout=10_000)
    finally:
        citizen_context.close()
        handler_context.close()

"""Two portal instances behind nginx (deploy/nginx.conf) on one PostgreSQL database and one Redis: a citizen signs
in, sends a request and starts a draft; the instance that served them is stopped; they carry on on the other one,
still signed in, with the sent request in Lähetetyt and the draft intact in Luonnokset."""
from __future__ import annotations

import re
import urllib.request

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in_with_password
from tests.browser.test_refund_form import (
    REFUND,
    field,
    fill_contact_step,
    fill_recipient_step,
    press_continue,
)
from tests.support.browser import SHOTS_DIR, wait_for_page
from tests.support.rows import found

from .conftest import Cluster

SHOTS = SHOTS_DIR / 'scaleout'


def _served_by(page: Page, path: str) -> str:
    response = page.goto(path)
    assert response is not None and response.ok, path
    wait_for_page(page)
    return response.headers['x-portal-upstream']


def _number(page: Page) -> int:
    return int(found(re.search(r'/palvelupyynto/(\d+)/', page.url)).group(1))


def test_user_carries_on_when_their_instance_stops(browser: Browser, cluster: Cluster) -> None:
    context = browser.new_context(base_url=cluster.proxy.url, viewport={'width': 1280, 'height': 900},
                                  locale='fi-FI')
    page = context.new_page()
    sign_in_with_password(page, 'onni.korhonen', 'Demo-salasana-2026')

    # A request sent through the proxy.
    upstream = _served_by(page, REFUND)
    fill_contact_step(page)
    press_continue(page)
    expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    sent = _number(page)
    fill_recipient_step(page)
    press_continue(page)
    expect(page.get_by_role('heading', name='Esikatselu', level=2)).to_be_visible()
    page.get_by_role('button', name='Lähetä').click()
    page.wait_for_url(f'**/palvelupyynto/{sent}/lahetetty')

    # A draft started: the contact step is saved when the user goes on.
    assert _served_by(page, REFUND) == upstream, 'the sticky cookie keeps the user on one instance'
    fill_contact_step(page)
    press_continue(page)
    expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    draft = _number(page)
    assert draft != sent

    # The instance that served the user goes away; the other one is still there.
    gone = cluster.instance_at(upstream)
    gone.stop()
    assert gone.process.poll() is not None
    [remaining] = [i for i in cluster.instances if i is not gone]
    with urllib.request.urlopen(f'{remaining.base_url}/health', timeout=5) as health:
        assert health.status == 200

    # The user carries on: signed in (no redirect to /kirjaudu), served by the other instance.
    upstream_after = _served_by(page, '/oma-asiointi')
    assert upstream_after != upstream and upstream_after.endswith(remaining.base_url.rsplit(':', 1)[1])
    assert '/kirjaudu' not in page.url and page.url.endswith('/oma-asiointi')
    page.get_by_role('tab', name=re.compile('Lähetetyt')).click()
    expect(page.get_by_role('row').filter(has_text=f'{sent} : Tilinumeron ilmoittaminen')).to_have_count(1)
    page.get_by_role('tab', name=re.compile('Luonnokset')).click()
    expect(page.get_by_role('row').filter(has_text=f'{draft} : Tilinumeron ilmoittaminen')).to_have_count(1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / 'after-failover-luonnokset.png'), full_page=True)

    # The draft is intact: it opens at the step the user reached, with what they typed.
    page.goto(f'/palvelupyynto/{draft}/muokkaa')
    wait_for_page(page)
    expect(page.get_by_role('heading', name='Palautuksen saaja', level=2)).to_be_visible()
    page.get_by_role('button', name='Edellinen').click()
    expect(page.get_by_role('heading', name='Yhteydenotto', level=2)).to_be_visible()
    expect(field(page, 'Puhelinnumero')).to_have_value('+358501234567')
    expect(field(page, 'Etunimi *')).to_have_value('Onni Juhani')
    page.screenshot(path=str(SHOTS / 'after-failover-draft.png'), full_page=True)
    context.close()

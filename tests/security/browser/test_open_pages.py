"""Attack: the form left open in one tab after signing out in another (a shared computer: the next person finds the
open tab). The tab is sent to the sign-in page at once. A tab that does not leave (here its navigation is blocked,
as a tampered page would) still cannot save or upload: what it types is not stored and its upload is refused.
"""
from __future__ import annotations

from playwright.sync_api import FilePayload, Page, expect

from bench.harness import wait_until
from tests.browser.conftest import sign_in_with_password
from tests.support.browser import wait_for_page
from tests.support.databases import attachment_count, drafts_of
from tests.support.server import PROJECT_DIR, PortalServer
from tests.support.staff import DEMO_PASSWORD

SHOTS = PROJECT_DIR / 'test-artifacts' / 'security'
FORM_PATH = '/palvelut/tilinumero-liikasuoritus'


def _upload(tab: Page, name: str) -> int:
    """Choose a file in the form's attachment field; the status of the upload's answer."""
    with tab.expect_response(lambda response: '/upload/' in response.url) as answer:
        tab.locator('#upload-attachments').set_input_files(
            files=[FilePayload(name=name, mimeType='text/plain', buffer=f'{name}: kuitti\n'.encode())])
    return answer.value.status


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f'{name}.png'), full_page=True)


def test_sign_out_in_one_tab_ends_the_form_open_in_another(page: Page, portal: PortalServer) -> None:
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    before = set(drafts_of(portal.database_url, 'onni.korhonen'))
    page.goto(FORM_PATH)
    wait_for_page(page)
    page.get_by_label('Yksikkö').fill('Palkanlaskenta')
    page.get_by_role('button', name='Tallenna luonnos ja keskeytä').click()  # the page saves while signed in
    page.wait_for_url('**/oma-asiointi')
    [draft] = set(drafts_of(portal.database_url, 'onni.korhonen')) - before
    assert drafts_of(portal.database_url, 'onni.korhonen')[draft]['unit'] == 'Palkanlaskenta'

    # Two more tabs on the draft: an ordinary one, and one that refuses to leave (its requests for the sign-in page
    # are answered 204 No Content, which keeps the page where it is). It goes on to the attachments step, where an
    # upload still works while the person is signed in.
    plain, stubborn = page.context.new_page(), page.context.new_page()
    stubborn.route('**/kirjaudu?**', lambda route: route.fulfill(status=204))
    for tab in (plain, stubborn):
        tab.goto(f'/palvelupyynto/{draft}/muokkaa')
        wait_for_page(tab)
    stubborn.get_by_role('button', name='Jatka').click()
    expect(stubborn.locator('#upload-attachments')).to_be_attached()
    assert _upload(stubborn, 'ennen.txt') == 200
    # NiceGUI answers the upload before its handler has stored the file (the handler runs as a task): wait for it.
    wait_until(lambda: attachment_count(portal.database_url, draft) == 1, 'the attachment to be stored', 20)

    # Tab B signs out: both open tabs are sent to the sign-in page.
    with stubborn.expect_request('**/kirjaudu?istunto=paattynyt**'):
        page.goto('/kirjaudu/ulos')
        page.wait_for_url('**/?uloskirjautunut=1')
    plain.wait_for_url('**/kirjaudu?istunto=paattynyt**')
    wait_for_page(plain)
    expect(plain.get_by_text('Istuntosi on päättynyt. Kirjaudu uudelleen.')).to_be_visible()
    _shot(plain, 'open-tab-after-sign-out-elsewhere')

    # The tab that stayed: typing and saving are each answered with "go to sign in", and nothing is stored.
    with stubborn.expect_request('**/kirjaudu?istunto=paattynyt**'):
        stubborn.get_by_label('Lisätietoja').fill('Kirjoitettu uloskirjautumisen jälkeen')
    with stubborn.expect_request('**/kirjaudu?istunto=paattynyt**'):
        stubborn.get_by_role('button', name='Tallenna luonnos ja keskeytä').click()
    assert _upload(stubborn, 'jalkeen.txt') == 403
    answers = drafts_of(portal.database_url, 'onni.korhonen')[draft]
    assert answers['unit'] == 'Palkanlaskenta' and not answers.get('additional_info')
    assert attachment_count(portal.database_url, draft) == 1

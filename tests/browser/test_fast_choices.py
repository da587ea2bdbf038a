"""Choices made faster than the server answers: a person on a slow connection (or a busy instance) who moves a radio
choice down and back up, or ticks and unticks a box, before the first answer arrives keeps what they chose last.

With NiceGUI's default loopback the browser waits for the server to echo each choice; a second press before the echo
compared against the stale value and was dropped (Quasar emits nothing when the clicked radio already looks chosen),
so the first press won. Holding the server's messages back (a routed websocket) makes that overlap certain instead of a
matter of machine load."""
from __future__ import annotations

import re

from playwright.sync_api import Page, WebSocketRoute, expect

from tests.browser.conftest import sign_in_with_password
from tests.support.browser import wait_for_page

DEMO_PASSWORD = 'Demo-salasana-2026'


class HeldAnswers:
    """The page's socket to the portal, passed through, except that the portal's messages can be held back."""

    def __init__(self, page: Page) -> None:
        self.holding = False
        self.held: list[str | bytes] = []
        self.routes: list[WebSocketRoute] = []
        page.route_web_socket(re.compile(r'/_nicegui_ws/'), self._route)

    def _route(self, route: WebSocketRoute) -> None:
        server = route.connect_to_server()
        self.routes.append(route)
        route.on_message(server.send)
        server.on_message(lambda message: self._from_server(route, message))

    def _from_server(self, route: WebSocketRoute, message: str | bytes) -> None:
        if self.holding:
            self.held.append(message)
        else:
            route.send(message)

    def release(self) -> None:
        self.holding = False
        route = self.routes[-1]
        for message in self.held:
            route.send(message)
        self.held.clear()


def test_radio_moved_down_and_back_up_before_the_server_answers_keeps_the_last_choice(page: Page) -> None:
    answers = HeldAnswers(page)
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    page.goto('/palvelut/tilinumero-liikasuoritus')
    wait_for_page(page)
    page.get_by_label('Organisaatiohaku').fill('Jyväskylän ka')
    page.get_by_role('option', name='Jyväskylän kaupunki').click()
    page.get_by_label('Puhelinnumero').fill('0501234567')
    page.get_by_role('button', name='Jatka', exact=True).click()
    payer = page.get_by_role('radio', name='Palautetaan maksajan tilille')
    other = page.get_by_role('radio', name='Palautetaan muulle kuin maksajan tilille')
    payer.focus()
    page.keyboard.press('Space')
    expect(payer).to_have_attribute('aria-checked', 'true')

    answers.holding = True
    page.keyboard.press('ArrowDown')
    expect(other).to_be_focused()
    expect(other).to_have_attribute('aria-checked', 'true')
    page.keyboard.press('ArrowUp')
    expect(payer).to_be_focused()
    expect(payer).to_have_attribute('aria-checked', 'true')
    answers.release()  # the portal's late answers to both presses arrive now
    reason = page.get_by_role('textbox', name='Miksi palautus maksetaan muulle kuin maksajalle *')
    expect(reason).to_be_hidden()  # the server followed the last choice (the field shows for the other one)
    page.get_by_role('button', name='Jatka', exact=True).click()
    summary = page.get_by_role('alert').filter(has_text='Tarkista seuraavat kohdat')
    expect(summary).to_contain_text('Tilinumero')  # the step was checked as the last choice asks
    expect(summary).not_to_contain_text('Miksi palautus')
    expect(payer).to_have_attribute('aria-checked', 'true')

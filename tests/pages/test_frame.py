"""The frame on every page: header items, navigation with the current item, language selection."""
from nicegui import ui
from nicegui.testing import User

from tests.pages.conftest import sign_in_with_password

DEMO_PASSWORD = 'Demo-salasana-2026'


async def test_anonymous_visitor_is_sent_to_sign_in(user: User) -> None:
    await user.open('/oma-asiointi')
    await user.should_see('Kirjaudu käyttäjätunnuksella ja salasanalla')


async def test_signed_in_frame_shows_profile_region_language_and_user(user: User) -> None:
    await sign_in_with_password(user, 'onni.korhonen', DEMO_PASSWORD)
    await user.should_see('Monetra Keski-Suomen asiakaspalveluportaali')
    for text in ('MONETRA', 'ASIOINTIPROFIILI', 'ALUE', 'Keski-Suomi', 'KIELI', 'KÄYTTÄJÄ', 'Onni Juhani Korhonen',
                 'Kirjaudu ulos', 'PÄÄSIVU', 'PALVELUT', 'OMA ASIOINTI', 'YHTEYSTIEDOT', 'OMAT TIEDOT'):
        await user.should_see(text)


async def test_each_navigation_route_exists_and_marks_itself(user: User) -> None:
    await sign_in_with_password(user, 'onni.korhonen', DEMO_PASSWORD)
    for path, label in (('/paasivu', 'PÄÄSIVU'), ('/palvelut', 'PALVELUT'), ('/oma-asiointi', 'OMA ASIOINTI'),
                        ('/yhteystiedot', 'YHTEYSTIEDOT'), ('/omat-tiedot', 'OMAT TIEDOT')):
        await user.open(path)
        current = [link for link in user.find(label).elements if link.props.get('aria-current') == 'page']
        assert len(current) == 1, path


async def test_language_choice_is_kept_for_the_user(user: User) -> None:
    await sign_in_with_password(user, 'onni.korhonen', DEMO_PASSWORD)
    user.find(kind=ui.select, marker='language-select').elements.pop().set_value('sv')
    await user.open('/paasivu')
    await user.should_see('Logga ut')
    await user.should_see('MINA ÄRENDEN')

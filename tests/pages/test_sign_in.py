"""Sign-in pages with NiceGUI's User fixture: the landing choice, the representative profile, password errors and
lockout, the registration form's validation, and the refusal page."""
from __future__ import annotations

from nicegui import ui
from nicegui.testing import User
from sqlmodel import select

from bench.harness import wait_until_async
from models import Organisation
from models.db import session_scope
from services.passwords import hash_password
from services.registration import IdentifiedPerson, user_for_identification
from tests.conftest import HeldClock
from tests.pages.conftest import sign_in_with_password

DEMO_PASSWORD = 'Demo-salasana-2026'


def _organisation_id(name: str) -> int:
    with session_scope() as db:
        organisation = db.exec(select(Organisation).where(Organisation.name == name)).one()
        assert organisation.id is not None
        return organisation.id


async def _choose_organisation_profile(user: User, organisation: str) -> None:
    await user.open('/')
    user.find(marker='choose-organisation').click()
    user.find(kind=ui.select, marker='target-organisation').elements.pop().set_value(_organisation_id(organisation))
    user.find(marker='continue').click()
    await user.should_see('Organisaation edustajana voit hoitaa')


async def test_a_representative_gets_the_organisation_profile(user: User) -> None:
    await _choose_organisation_profile(user, 'Jyväskylän kaupunki')
    await sign_in_with_password(user, 'riikka.edustaja', DEMO_PASSWORD)
    await user.should_see('ASIOINTIPROFIILI')
    await user.should_see('Jyväskylän kaupunki')
    await user.should_see('Riikka Edustaja')
    await user.should_not_see('Sinulla ei ole oikeutta')


async def test_without_a_right_the_organisation_profile_is_refused_clearly(user: User) -> None:
    await _choose_organisation_profile(user, 'Jyväskylän kaupunki')
    await sign_in_with_password(user, 'onni.korhonen', DEMO_PASSWORD)
    await user.should_see('Sinulla ei ole oikeutta asioida organisaation Jyväskylän kaupunki edustajana. '
                          'Asioit nyt yksityishenkilönä.')
    profile_values = [label.text for label in user.find(kind=ui.label, content='Onni Juhani Korhonen').elements
                      if 'portal-compact' not in label.classes]  # the phone header's own copy of the name
    assert len(profile_values) == 2  # ASIOINTIPROFIILI and KÄYTTÄJÄ both show Onni, not the organisation


async def test_continuing_without_choosing_an_organisation_says_what_to_do(user: User) -> None:
    await user.open('/')
    user.find(marker='choose-private').click()
    user.find(marker='continue').click()
    await user.should_see('Valitse organisaatio hakulistasta tai siirry asioimaan ilman organisaatiota.')
    user.find(marker='without-organisation').click()
    await user.should_see('Yksityishenkilön asiointi -palvelun kautta')


async def _attempt_finished(user: User) -> None:
    """The page empties the password field when the (threaded) check has answered."""
    await wait_until_async(lambda: user.find(kind=ui.input, marker='password').elements.pop().value == '',
                           'the sign-in attempt to finish', 10)


async def test_a_wrong_password_gets_one_generic_message_and_repeated_failures_wait(
        user: User, clock: HeldClock) -> None:
    await user.open('/kirjaudu/salasana')
    user.find(marker='submit').click()
    await user.should_see('Anna käyttäjätunnus.')
    await user.should_see('Anna salasana.')
    for attempt in range(5):
        user.find(marker='username').clear().type('onni.korhonen')
        user.find(marker='password').clear().type(f'väärä-salasana-{attempt}')
        user.find(marker='submit').click()
        await _attempt_finished(user)
        await user.should_see('Käyttäjätunnus tai salasana on väärin.')
    user.find(marker='password').clear().type(DEMO_PASSWORD)
    user.find(marker='submit').click()
    await _attempt_finished(user)
    await user.should_see('Liian monta epäonnistunutta yritystä. Yritä uudelleen 1 sekunnin kuluttua.')
    await user.should_not_see('KÄYTTÄJÄ')


async def _new_person_signed_in(user: User) -> None:
    """A person met for the first time (as after Suomi.fi), given a password so the test can sign in as them."""
    user_id = user_for_identification(IdentifiedPerson('010280-952L', 'Tessa', 'Testilä', 'Tessa Testilä'))
    from models import User as UserRow

    with session_scope() as db:
        row = db.get(UserRow, user_id)
        assert row is not None
        row.username, row.password_hash = 'tessa.testila', hash_password(DEMO_PASSWORD)
        db.add(row)
    await sign_in_with_password(user, 'tessa.testila', DEMO_PASSWORD)
    await user.should_see('REKISTERÖIDY KÄYTTÄJÄKSI')


async def test_the_registration_form_checks_its_fields_and_keeps_what_was_typed(user: User) -> None:
    await _new_person_signed_in(user)
    await user.should_see('Tessa Testilä')
    user.find(marker='registration-submit').click()
    await user.should_see('Tarkista seuraavat kohdat:')
    await user.should_see('Anna sähköpostiosoite. Siihen lähetetään palvelupyyntöjen ratkaisut ja kysymykset.',
                          retries=100)
    user.find(marker='registration-email').type('tessa@example.fi')
    user.find(marker='registration-username').type('tessa.uusi')
    user.find(marker='registration-password').type('kolme iloista kissaa')
    user.find(marker='registration-password-confirm').type('kolme iloista koiraa')
    user.find(marker='registration-submit').click()
    await user.should_see('Salasanat eivät ole samat.', retries=100)
    email = user.find(kind=ui.input, marker='registration-email').elements.pop()
    assert email.value == 'tessa@example.fi'  # nothing typed is lost
    user.find(marker='registration-password').clear().type('lyhyt')
    user.find(marker='registration-password-confirm').clear().type('lyhyt')
    user.find(marker='registration-submit').click()
    # The help text under the field says the same words, so wait for the field's own error: otherwise the next
    # click lands while this answer is still being checked.
    password_field = user.find(kind=ui.input, marker='registration-password').elements.pop()
    await wait_until_async(lambda: password_field.error, 'the password field to show its error', 10)
    assert password_field.error == 'Salasanassa on oltava vähintään 12 merkkiä.'
    await user.should_see('Salasanassa on oltava vähintään 12 merkkiä.')
    user.find(marker='registration-password').clear().type('kolme iloista kissaa')
    user.find(marker='registration-password-confirm').clear().type('kolme iloista kissaa')
    user.find(marker='registration-submit').click()
    await user.should_see('Rekisteröityminen onnistui. Tervetuloa asiakaspalveluportaaliin!', retries=100)
    await user.should_see('PÄÄSIVU')
    # Only once: the form is not shown again.
    await user.open('/rekisteroidy')
    await user.should_not_see('REKISTERÖIDY KÄYTTÄJÄKSI')


async def test_an_unregistered_person_is_kept_on_the_registration_form(user: User) -> None:
    await _new_person_signed_in(user)
    await user.open('/oma-asiointi')
    await user.should_see('REKISTERÖIDY KÄYTTÄJÄKSI')


async def test_the_refusal_page_is_a_clear_finnish_message(user: User) -> None:
    await user.open('/kirjaudu/virhe?syy=replayed')
    await user.should_see('Kirjautuminen epäonnistui')
    await user.should_see('Tämä tunnistautuminen on jo käytetty. Kirjaudu uudelleen.')
    await user.open('/kirjaudu/virhe?syy=something-else')
    await user.should_see('Tunnistuspalvelun vastausta ei voitu hyväksyä')

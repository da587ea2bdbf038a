"""The demo installation's data: the seed's regions, organisations, person, requests and news.

Loaded when DEMO_DATA is on. Every row is found by a natural key first, so loading twice changes nothing.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session, select

from models import (
    FIRST_STAGE,
    Message,
    MessageKind,
    NewsItem,
    Organisation,
    Region,
    Representation,
    RequestStatus,
    ServiceRequest,
    StageChange,
    User,
    UserRole,
)
from models.db import session_scope

from .forms import FORMS
from .forms.versions import publish
from .identity import identity_hash, mask_identity_number
from .passwords import hash_password

HELSINKI = ZoneInfo('Europe/Helsinki')

# Demo sign-in details, also listed in the README. Not secrets: they exist only in demo installations.
DEMO_PASSWORD = 'Demo-salasana-2026'
DEMO_HANDLER_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
ONNI_IDENTITY_NUMBER = '150585-958J'
REFUND = 'tilinumero-liikasuoritus'
TAX_CARD = 'verokortti'

REGIONS = (
    dict(name='Keski-Suomi', name_translations={'sv': 'Mellersta Finland', 'en': 'Central Finland'},
         phone='+358 14 266 0000', email='asiakaspalvelu.keskisuomi@monetra.example',
         address='Väinönkatu 1, 40100 Jyväskylä',
         service_hours={'fi': 'ma–pe klo 9–15', 'sv': 'mån–fre kl. 9–15', 'en': 'Mon–Fri 9am–3pm'},
         portal_title={'fi': 'Monetra Keski-Suomen asiakaspalveluportaali',
                       'sv': 'Monetra Mellersta Finlands kundtjänstportal',
                       'en': 'Monetra Central Finland customer service portal'}),
    dict(name='Pohjois-Pohjanmaa', name_translations={'sv': 'Norra Österbotten', 'en': 'North Ostrobothnia'},
         phone='+358 8 558 40000', email='asiakaspalvelu.oulu@monetra.example',
         address='Kansankatu 53, 90100 Oulu',
         service_hours={'fi': 'ma–pe klo 8.30–15', 'sv': 'mån–fre kl. 8.30–15', 'en': 'Mon–Fri 8.30am–3pm'},
         portal_title={'fi': 'Monetra Pohjois-Pohjanmaan asiakaspalveluportaali',
                       'sv': 'Monetra Norra Österbottens kundtjänstportal',
                       'en': 'Monetra North Ostrobothnia customer service portal'}),
)

ORGANISATIONS = (
    ('Jyväskylän kaupunki', '0208201-1', 'Keski-Suomi'),
    ('Äänekosken kaupunki', '0210955-2', 'Keski-Suomi'),
    ('Laukaan kunta', '0175871-0', 'Keski-Suomi'),
    ('Muuramen kunta', '0174610-3', 'Keski-Suomi'),
    ('Keski-Suomen hyvinvointialue', '3221318-2', 'Keski-Suomi'),
    ('Oulun kaupunki', '0187690-1', 'Pohjois-Pohjanmaa'),
    ('Kempeleen kunta', '0208062-2', 'Pohjois-Pohjanmaa'),
)
# The organisations' official Swedish and English names.
ORGANISATION_NAMES = {
    'Jyväskylän kaupunki': {'sv': 'Jyväskylä stad', 'en': 'City of Jyväskylä'},
    'Äänekosken kaupunki': {'sv': 'Äänekoski stad', 'en': 'City of Äänekoski'},
    'Laukaan kunta': {'sv': 'Laukas kommun', 'en': 'Municipality of Laukaa'},
    'Muuramen kunta': {'sv': 'Muurame kommun', 'en': 'Municipality of Muurame'},
    'Keski-Suomen hyvinvointialue': {'sv': 'Mellersta Finlands välfärdsområde',
                                     'en': 'Wellbeing Services County of Central Finland'},
    'Oulun kaupunki': {'sv': 'Uleåborgs stad', 'en': 'City of Oulu'},
    'Kempeleen kunta': {'sv': 'Kempele kommun', 'en': 'Municipality of Kempele'},
}


def _finnish_time(text_value: str) -> datetime:
    """'27.01.2023 09:22' as the seed shows it (Finnish time) → an aware time."""
    return datetime.strptime(text_value, '%d.%m.%Y %H:%M').replace(tzinfo=HELSINKI)


def _contact_answers() -> dict:
    return {'first_name': 'Onni Juhani', 'last_name': 'Korhonen', 'organisation': 'Jyväskylän kaupunki', 'unit': '',
            'email': '645516@generated.invalid', 'phone': '+358501234567', 'on_behalf': False}


def _refund_answers(complete: bool) -> dict:
    answers = _contact_answers()
    if complete:
        answers |= {'refund_target': 'payer', 'recipient_first_name': 'Onni Juhani', 'recipient_last_name': 'Korhonen',
                    'iban': 'FI4822223333444455', 'billing_organisation': 'Jyväskylän kaupunki',
                    'customer_number': '12345', 'invoice_number': '1', 'reference_number': '',
                    'overpayment_date': '27.1.2023', 'refund_amount': '27,00', 'additional_info': ''}
    return answers


def _tax_card_answers() -> dict:
    return _contact_answers() | {'employer': 'Jyväskylän kaupunki', 'employee_number': '', 'tax_year': '2022',
                                 'valid_from': '1.1.2022', 'additional_info': ''}


# (number, service, status, created, modified/sent, current step, answers, unread messages from the centre)
SEED_REQUESTS = (
    (5474, REFUND, RequestStatus.DRAFT, '27.01.2023 09:22', '27.01.2023 09:22', 1, _refund_answers(False), ()),
    (5453, REFUND, RequestStatus.DRAFT, '20.01.2023 09:03', '20.01.2023 09:03', 0, _refund_answers(False), ()),
    (979728, TAX_CARD, RequestStatus.SENT, '17.12.2021 16:05', '17.12.2021 16:13', 1, _tax_card_answers(), ()),
    (978373, REFUND, RequestStatus.SENT, '17.12.2021 16:02', '17.12.2021 16:12', 1, _refund_answers(True), (
        (MessageKind.QUESTION, 'Hei, liitättekö vielä kuvan tiliotteesta, josta liikasuoritus näkyy?'),
        (MessageKind.MESSAGE, 'Huomaattehan, että palautus maksetaan noin kahden viikon kuluessa täydennyksestä.'),
    )),
    (979825, TAX_CARD, RequestStatus.SENT, '17.12.2021 13:15', '17.12.2021 13:20', 1, _tax_card_answers(), ()),
    (979738, REFUND, RequestStatus.SENT, '17.12.2021 13:10', '17.12.2021 13:19', 1, _refund_answers(True), ()),
    (978635, TAX_CARD, RequestStatus.SENT, '17.12.2021 09:40', '17.12.2021 09:48', 1, _tax_card_answers(), ()),
)

NEWS = (
    ({'fi': 'Tilinumeron ilmoittaminen verkossa', 'sv': 'Anmäl kontonummer på nätet',
      'en': 'Report your account online'},
     {'fi': 'Portaalin etusivulla olevaa Tilinumeron ilmoittaminen -palvelua painamalla pääsee täyttämään '
            'portaalilomaketta.',
      'sv': 'Genom att klicka på tjänsten Anmälan av kontonummer på portalens startsida kommer du till formuläret.',
      'en': 'Select the Reporting an account number service on the front page to fill in the form.'},
     '02.01.2023 08:00'),
    ({'fi': 'Seuraa palvelupyyntöjäsi Oma asiointi -osiossa', 'sv': 'Följ dina serviceförfrågningar i Mina ärenden',
      'en': 'Follow your service requests in My transactions'},
     {'fi': 'Oma asiointi -osiosta näet luonnokset, lähetetyt ja valmiit palvelupyynnöt sekä niihin liittyvät viestit.',
      'sv': 'I Mina ärenden ser du utkast, skickade och färdiga serviceförfrågningar samt meddelanden om dem.',
      'en': 'My transactions shows your drafts, sent and completed service requests and the messages about them.'},
     '09.01.2023 08:00'),
)


def _get_or_add(db: Session, model: type, lookup: dict, values: dict | None = None):
    row = db.exec(select(model).filter_by(**lookup)).first()
    if row is None:
        row = model(**lookup, **(values or {}))
        db.add(row)
        db.flush()
    return row


def load_demo_data() -> None:
    """Add whatever of the demo data is missing."""
    with session_scope() as db:
        regions = {spec['name']: _get_or_add(db, Region, {'name': spec['name']},
                                             {k: v for k, v in spec.items() if k != 'name'}) for spec in REGIONS}
        organisations = {name: _get_or_add(db, Organisation, {'business_id': business_id},
                                           {'name': name, 'region_id': regions[region].id})
                         for name, business_id, region in ORGANISATIONS}
        # Installations seeded before names had translations get them too.
        for spec in REGIONS:
            regions[spec['name']].name_translations = regions[spec['name']].name_translations or \
                spec['name_translations']
        for name, organisation in organisations.items():
            organisation.name_translations = organisation.name_translations or ORGANISATION_NAMES[name]

        onni = _get_or_add(db, User, {'username': 'onni.korhonen'}, dict(
            role=UserRole.CITIZEN, given_name='Onni Juhani', surname='Korhonen',
            display_name='Onni Juhani Korhonen', email='645516@generated.invalid', email_allowed=True,
            phone='+358501234567', password_hash=hash_password(DEMO_PASSWORD),
            identity_hash=identity_hash(ONNI_IDENTITY_NUMBER),
            identity_masked=mask_identity_number(ONNI_IDENTITY_NUMBER),
            registered_at=_finnish_time('01.12.2021 10:00')))
        representative = _get_or_add(db, User, {'username': 'riikka.edustaja'}, dict(
            role=UserRole.REPRESENTATIVE, given_name='Riikka', surname='Edustaja',
            display_name='Riikka Edustaja', email='riikka.edustaja@jyvaskyla.example', email_allowed=True,
            password_hash=hash_password(DEMO_PASSWORD), registered_at=_finnish_time('01.12.2021 10:00')))
        handler = _get_or_add(db, User, {'username': 'kaisa.kasittelija'}, dict(
            role=UserRole.HANDLER, given_name='Kaisa', surname='Käsittelijä', display_name='Kaisa Käsittelijä',
            email='kaisa.kasittelija@monetra.example', password_hash=hash_password(DEMO_PASSWORD),
            totp_secret=DEMO_HANDLER_TOTP_SECRET, registered_at=_finnish_time('01.12.2021 10:00')))
        _get_or_add(db, User, {'username': 'admin'}, dict(
            role=UserRole.ADMIN, given_name='Aino', surname='Virtanen', display_name='Aino Virtanen',
            email='admin@monetra.example', password_hash=hash_password(DEMO_PASSWORD),
            totp_secret=DEMO_HANDLER_TOTP_SECRET, registered_at=_finnish_time('01.12.2021 10:00')))
        _get_or_add(db, Representation, {'user_id': representative.id,
                                         'organisation_id': organisations['Jyväskylän kaupunki'].id},
                    {'granted_by_id': handler.id})

        jyvaskyla = organisations['Jyväskylän kaupunki']
        added_requests = False
        for number, code, status, created, modified, step, answers, messages in SEED_REQUESTS:
            if db.get(ServiceRequest, number) is not None:
                continue
            added_requests = True
            sent_at = _finnish_time(modified) if status == RequestStatus.SENT else None
            db.add(ServiceRequest(id=number, service_code=code, owner_id=onni.id, organisation_id=jyvaskyla.id,
                                  status=status, stage=FIRST_STAGE, current_step=step, answers=answers,
                                  created_at=_finnish_time(created), modified_at=_finnish_time(modified),
                                  sent_at=sent_at, form_version=publish(db, FORMS[code])))
            db.flush()
            if sent_at is not None:
                db.add(StageChange(request_id=number, stage=FIRST_STAGE, changed_at=sent_at))
            for kind, body in messages:
                db.add(Message(request_id=number, author_id=handler.id, kind=kind, body=body,
                               created_at=_finnish_time(modified)))
        if added_requests and db.get_bind().dialect.name == 'postgresql':
            # Explicit ids do not move PostgreSQL's sequence: new requests must number after the seed's.
            db.exec(text("SELECT setval(pg_get_serial_sequence('servicerequest', 'id'), "  # type: ignore[call-overload]
                         "(SELECT max(id) FROM servicerequest))"))

        for title, news_body, published in NEWS:
            exists = any(item.title.get('fi') == title['fi'] for item in db.exec(select(NewsItem)).all())
            if not exists:
                db.add(NewsItem(title=title, body=news_body, published_at=_finnish_time(published)))

"""Dashboard figures (services.dashboard) and administration (services.admin): right numbers, admin-only, clear
per-field errors, handler accounts that can sign in with password and TOTP."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from models import RequestStatus, ServiceRequest, User, UserRole, saved_id
from models.db import session_scope
from services import admin, dashboard, handling
from tests.support.rows import found

pytestmark = pytest.mark.db


def _set(number: int, **values: object) -> None:
    with session_scope() as db:
        request = db.get(ServiceRequest, number)
        for key, value in values.items():
            setattr(request, key, value)
        db.add(request)


def test_dashboard_counts_stages_weeks_median_and_oldest(demo: dict[str, User]) -> None:
    handler = demo['kaisa.kasittelija']
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday
    handling.change_stage(handler, 979738, 1, 'Valmistelu')
    assert dict(dashboard.open_by_stage(handler))['Valmistelu'] == 1
    assert dict(dashboard.open_by_stage(handler))['Vireillepano/-tulo'] == 4
    assert [stage for stage, _ in dashboard.open_by_stage(handler)][:2] == ['Vireillepano/-tulo', 'Valmistelu']

    _set(979825, sent_at=now - timedelta(days=1))  # last week (Sunday)
    _set(978635, sent_at=now - timedelta(hours=1))  # this week
    _set(979728, sent_at=now - timedelta(minutes=5))
    weeks = dashboard.arrivals_per_week(handler, weeks=3, now=now)
    assert [(w.week, w.count) for w in weeks] == [(47, 0), (48, 1), (49, 2)]
    assert weeks[-1].label == '49/2026'

    assert dashboard.median_time_to_resolve(handler, now=now) is None
    for number, hours in ((979825, 2), (978635, 4), (979728, 30)):
        _set(number, status=RequestStatus.DONE, resolved_at=now - timedelta(days=1) + timedelta(hours=hours),
             sent_at=now - timedelta(days=1))
    assert dashboard.median_time_to_resolve(handler, now=now) == timedelta(hours=4)
    assert dashboard.format_duration(timedelta(hours=4)) == '4 h 0 min'
    assert dashboard.format_duration(timedelta(days=2, hours=3)) == '2 pv 3 h'

    oldest = dashboard.oldest_open(handler, limit=2)
    assert [row.number for row in oldest] == [979738, 978373]
    with pytest.raises(PermissionError):
        dashboard.open_by_stage(demo['onni.korhonen'])


def test_admin_functions_refuse_handlers_and_citizens(demo: dict[str, User]) -> None:
    for person in (demo['kaisa.kasittelija'], demo['onni.korhonen']):
        for call in (lambda p=person: admin.list_news(p), lambda p=person: admin.list_regions(p),
                     lambda p=person: admin.list_staff(p), lambda p=person: admin.list_representations(p),
                     lambda p=person: admin.create_staff_account(
                         p, username='x.y', given_name='X', surname='Y', email='x@y.fi', role=UserRole.ADMIN,
                         password='Pitkä-salasana-123')):
            with pytest.raises(admin.AdminForbidden):
                call()


def test_news_needs_all_three_languages_and_is_saved(demo: dict[str, User]) -> None:
    boss = demo['admin']
    with pytest.raises(admin.AdminInvalid) as refused:
        admin.save_news(boss, None, title={'fi': 'Uutinen'}, body={'fi': 'Teksti'}, region_id=None, active=True)
    assert set(refused.value.errors) == {'title_sv', 'title_en', 'body_sv', 'body_en'}
    item = admin.save_news(boss, None, title={'fi': 'Huoltokatko', 'sv': 'Serviceavbrott', 'en': 'Service break'},
                           body={'fi': 'Portaali on kiinni.', 'sv': 'Portalen är stängd.', 'en': 'The portal is shut.'},
                           region_id=None, active=True)
    from services.content import latest_news

    assert latest_news(None)[0].title['sv'] == 'Serviceavbrott'
    admin.save_news(boss, item.id, title=item.title, body=item.body, region_id=None, active=False)
    assert all(news.id != item.id for news in latest_news(None))


def test_regions_and_organisations_are_checked(demo: dict[str, User]) -> None:
    boss = demo['admin']
    with pytest.raises(admin.AdminInvalid) as refused:
        admin.save_region(boss, None, name='', phone='abc', email='ei-osoite', address='', service_hours={},
                          portal_title={})
    assert set(refused.value.errors) == {'name', 'phone', 'email'}
    region = admin.save_region(boss, None, name='Pirkanmaa', phone='+358 3 123 4567', email='pirkanmaa@monetra.example',
                               address='Hämeenkatu 1, Tampere', service_hours={'fi': 'ma–pe 9–15'},
                               portal_title={'fi': 'Monetra Pirkanmaan asiakaspalveluportaali'})
    with pytest.raises(admin.AdminInvalid) as refused:
        admin.save_organisation(boss, None, name='Tampereen kaupunki', business_id='0211675-3', region_id=region.id,
                                active=True)
    assert set(refused.value.errors) == {'business_id'}  # wrong check digit
    organisation = admin.save_organisation(boss, None, name='Tampereen kaupunki', business_id='0211675-2',
                                           region_id=region.id, active=True)
    assert organisation.business_id == '0211675-2'
    with pytest.raises(admin.AdminInvalid):
        admin.save_organisation(boss, None, name='Toinen', business_id='0211675-2', region_id=region.id, active=True)


def test_representation_rights_are_granted_and_revoked(demo: dict[str, User]) -> None:
    boss = demo['admin']
    organisation_id = next(o.id for o in admin.list_organisations(boss) if o.name == 'Laukaan kunta')
    with pytest.raises(admin.AdminInvalid) as refused:
        admin.grant_representation(boss, 'kaisa.kasittelija', organisation_id)
    assert 'person' in refused.value.errors  # staff do not act for customers
    admin.grant_representation(boss, 'onni.korhonen', organisation_id)
    with session_scope() as db:
        assert found(db.get(User, demo['onni.korhonen'].id)).role == UserRole.REPRESENTATIVE
    row = next(r for r in admin.list_representations(boss) if r.organisation == 'Laukaan kunta')
    assert (row.person, row.granted_by) == ('Onni Juhani Korhonen', 'Aino Virtanen')
    admin.revoke_representation(boss, row.id)
    assert all(r.organisation != 'Laukaan kunta' for r in admin.list_representations(boss))


def test_new_handler_account_signs_in_with_password_and_the_totp_shown_once(demo: dict[str, User]) -> None:
    from auth.password_login import LoginOutcome, authenticate, verify_second_factor

    boss = demo['admin']
    with pytest.raises(admin.AdminInvalid) as refused:
        admin.create_staff_account(boss, username='X', given_name='', surname='', email='ei', role=UserRole.HANDLER,
                                   password='lyhyt')
    assert set(refused.value.errors) == {'username', 'given_name', 'surname', 'email', 'password'}
    account = admin.create_staff_account(boss, username='ville.virtanen', given_name='Ville', surname='Virtanen',
                                         email='ville.virtanen@monetra.example', role=UserRole.HANDLER,
                                         password='Hyvä-alkusalasana-42')
    assert account.otpauth_uri.startswith('otpauth://totp/') and f'secret={account.totp_secret}' in account.otpauth_uri
    with session_scope() as db:
        stored = found(db.get(User, account.user_id))
        assert (stored.password_hash or '').startswith('$argon2')
    result = authenticate('ville.virtanen', 'Hyvä-alkusalasana-42', '127.0.0.9')
    assert result.outcome == LoginOutcome.NEEDS_SECOND_FACTOR
    second_factor = verify_second_factor(account.user_id, pyotp.TOTP(account.totp_secret).now(), '127.0.0.9')
    assert second_factor.outcome == LoginOutcome.OK
    assert account.user_id in handling.staff_members(boss)
    with pytest.raises(admin.AdminInvalid):
        admin.create_staff_account(boss, username='ville.virtanen', given_name='V', surname='V',
                                   email='v@monetra.example', role=UserRole.HANDLER, password='Hyvä-alkusalasana-42')
    admin.set_staff_active(boss, account.user_id, False)
    assert account.user_id not in handling.staff_members(boss)
    with pytest.raises(admin.AdminInvalid):
        admin.set_staff_active(boss, saved_id(boss), False)

"""Data in the reader's language: region and organisation names carry their Swedish and English forms, sizes and
amounts follow the language's number format (Babel)."""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from locales import using_language
from models import Organisation, Region
from models.db import session_scope
from services.answers import display_value
from services.formatting import format_amount, format_date, format_datetime, format_file_size
from services.forms.contact_step import CONTACT_STEP
from services.organisations import region_display_name

ORGANISATION_FIELD = next(field for field in CONTACT_STEP.fields if field.name == 'organisation')


@pytest.mark.usefixtures('database')
@pytest.mark.parametrize(('lang', 'region', 'organisation'), [
    ('fi', 'Keski-Suomi', 'Jyväskylän kaupunki'),
    ('sv', 'Mellersta Finland', 'Jyväskylä stad'),
    ('en', 'Central Finland', 'City of Jyväskylä'),
])
def test_region_and_organisation_names_follow_the_language(lang: str, region: str, organisation: str) -> None:
    with session_scope() as db:
        row = Region(name='Keski-Suomi', name_translations={'sv': 'Mellersta Finland', 'en': 'Central Finland'})
        db.add(row)
        db.flush()
        assert row.id is not None
        db.add(Organisation(name='Jyväskylän kaupunki', business_id='0208201-1', region_id=row.id,
                            name_translations={'sv': 'Jyväskylä stad', 'en': 'City of Jyväskylä'}))
    with using_language(lang):
        assert region_display_name('Keski-Suomi') == region
        assert display_value(ORGANISATION_FIELD, 'Jyväskylän kaupunki') == organisation
        assert display_value(ORGANISATION_FIELD, 'Tuntematon Oy') == 'Tuntematon Oy'  # typed in, not in the list


@pytest.mark.parametrize(('lang', 'small', 'large', 'amount'), [
    ('fi', '12\xa0kt', '1,4\xa0Mt', '1\xa0234,50\xa0€'),
    ('sv', '12\xa0kB', '1,4\xa0MB', '1\xa0234,50\xa0€'),
    ('en', '12\xa0KB', '1.4\xa0MB', '€1,234.50'),
])
def test_sizes_and_amounts_in_the_languages_number_format(lang: str, small: str, large: str, amount: str) -> None:
    with using_language(lang):
        assert format_file_size(12 * 1024).replace(' ', '\xa0') == small
        assert format_file_size(int(1.4 * 1024 * 1024)).replace(' ', '\xa0') == large
        assert format_amount(Decimal('1234.50')) == amount


@pytest.mark.parametrize(('lang', 'moment', 'day'), [
    ('fi', '17.12.2021 16:13', '17.12.2021'),
    ('sv', '17.12.2021 16:13', '17.12.2021'),
    ('en', '17 Dec 2021, 16:13', '17 Dec 2021'),  # never 12/17 or 17/12: the month by name
])
def test_dates_in_finnish_time_and_the_languages_format(lang: str, moment: str, day: str) -> None:
    sent = datetime(2021, 12, 17, 14, 13, tzinfo=UTC)  # 16:13 in Helsinki
    with using_language(lang):
        assert format_datetime(sent) == moment
        assert format_date(sent) == day

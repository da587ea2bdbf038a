"""How times and amounts are shown: Finnish time, formats of the user's language."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_currency, format_decimal

from locales import BABEL_LOCALES, current_language, t

FINNISH_TIME = ZoneInfo('Europe/Helsinki')


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(FINNISH_TIME)


# Finnish and Swedish in Finland write '17.12.2021 16:13' (the seed's format); English gets the month's name, since
# '02/12/2026' reads as February to some readers. Patterns are Babel's (CLDR), so month names follow the language.
_DATETIME_PATTERNS = {'fi': 'dd.MM.yyyy HH:mm', 'sv': 'dd.MM.yyyy HH:mm', 'en': 'd MMM yyyy, HH:mm'}
_DATE_PATTERNS = {'fi': 'd.M.yyyy', 'sv': 'd.M.yyyy', 'en': 'd MMM yyyy'}


def format_datetime(moment: datetime | None, lang: str | None = None) -> str:
    """A moment in Finnish time, in the reader's language: '17.12.2021 16:13', '17 Dec 2021, 16:13'."""
    if not moment:
        return ''
    lang = lang or current_language()
    return babel_format_datetime(local_time(moment), _DATETIME_PATTERNS[lang], locale=BABEL_LOCALES[lang])


def format_date(moment: date | datetime | None, lang: str | None = None) -> str:
    """A day in the reader's language: '2.12.2026', '2 Dec 2026'."""
    if not moment:
        return ''
    lang = lang or current_language()
    day = local_time(moment).date() if isinstance(moment, datetime) else moment
    return babel_format_date(day, _DATE_PATTERNS[lang], locale=BABEL_LOCALES[lang])


def format_amount(amount: Decimal | float | int, lang: str | None = None) -> str:
    return format_currency(amount, 'EUR', locale=BABEL_LOCALES[lang or current_language()])


def format_file_size(size: int, lang: str | None = None) -> str:
    """'12 kt' / '1,4 Mt' in Finnish, '1,4 MB' in Swedish, '1.4 MB' in English (kept short for lists of files)."""
    locale = BABEL_LOCALES[lang or current_language()]
    if size < 1024 * 1024:
        # Translators: a file size in kilobytes (Finnish "kt" = kilotavua).
        return t('{size} kt', lang, size=format_decimal(max(1, round(size / 1024)), locale=locale))
    # Translators: a file size in megabytes (Finnish "Mt" = megatavua).
    return t('{size} Mt', lang, size=format_decimal(size / 1024 / 1024, format='0.0', locale=locale))

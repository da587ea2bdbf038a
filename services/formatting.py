"""How times and amounts are shown: Finnish time, formats of the user's language."""
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_currency, format_decimal

from locales import BABEL_LOCALES, current_language, t

FINNISH_TIME = ZoneInfo('Europe/Helsinki')


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(FINNISH_TIME)


def format_datetime(moment: datetime | None) -> str:
    """'17.12.2021 16:13' in Finnish time (the seed's format; Swedish and English readers in Finland use it too)."""
    return local_time(moment).strftime('%d.%m.%Y %H:%M') if moment else ''


def format_date(moment: datetime | None) -> str:
    return local_time(moment).strftime('%-d.%-m.%Y') if moment else ''


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

"""The translation layer: every visible text goes through `t()` (or `nt()` for counts, `pt()` with a context).

Messages are gettext catalogues kept with Babel: the Finnish text is the msgid (Finnish is the default language and
the specification's own), `locales/messages.pot` is extracted from the code (`make translations`), and
`locales/<lang>/LC_MESSAGES/messages.po` holds the Swedish and English translations. Finnish needs no catalogue: gettext
falls back to the msgid, Finnish plurals follow the same rule as the catalogues' (`n != 1`: the msgid_plural), and a
context only tells translations apart. The compiled `.mo` files are not kept in git: they are compiled here when
missing or older than their `.po` (a fresh clone works without a build step), and by `make translations`.
"""
from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Literal

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ('fi', 'sv', 'en')
DEFAULT_LANGUAGE = 'fi'
LANGUAGE_NAMES = {'fi': 'Suomi', 'sv': 'Svenska', 'en': 'English'}
# What <html lang> and Quasar get for each language.
# Literal values: NiceGUI's page language is a Literal of the languages Quasar knows.
HTML_LANGUAGES: dict[str, Literal['fi', 'sv', 'en-GB']] = {'fi': 'fi', 'sv': 'sv', 'en': 'en-GB'}
BABEL_LOCALES = {'fi': 'fi_FI', 'sv': 'sv_FI', 'en': 'en_GB'}
DOMAIN = 'messages'

LOCALES_DIR = Path(__file__).resolve().parent
# Set around work outside a page (emails, PDF receipts); pages keep their language in the client's storage.
_explicit_language: ContextVar[str | None] = ContextVar('explicit_language', default=None)
# How a page request finds its language before the frame has applied it (set by components/language.py):
# a page builds its tab title with `t()` before it enters `frame()`.
_page_language_resolver: Callable[[], str] | None = None


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / 'LC_MESSAGES' / f'{DOMAIN}.po'


def compile_catalogue(lang: str) -> bytes:
    """The `.mo` of one language, written next to its `.po` when that is missing or stale."""
    po, mo = po_path(lang), po_path(lang).with_suffix('.mo')
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo.read_bytes()
    with po.open('rb') as source:
        messages = read_po(source, locale=BABEL_LOCALES[lang], domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, messages)
    with contextlib.suppress(OSError):  # a read-only installation: use the catalogue compiled in memory
        # Written aside and renamed: instances starting at once never read a half-written file.
        partial = mo.with_name(f'{mo.name}.{os.getpid()}.tmp')
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, mo)
    return buffer.getvalue()


@cache
def translations(lang: str) -> NullTranslations:
    if not po_path(lang).is_file():  # Finnish: the msgids themselves
        return NullTranslations()
    return Translations(io.BytesIO(compile_catalogue(lang)), domain=DOMAIN)


def set_page_language_resolver(resolver: Callable[[], str]) -> None:
    global _page_language_resolver
    _page_language_resolver = resolver


def current_language() -> str:
    """The language being rendered: an explicit `using_language`, else the page's, else Finnish.

    The page's language is worked out once per client (from the signed-in user or the browser's choice) and kept in
    the client's storage, so texts built before the frame (tab titles, headings) are in it too."""
    explicit = _explicit_language.get()
    if explicit:
        return explicit
    try:
        from nicegui import context

        storage = context.client.storage
    except (RuntimeError, LookupError, AttributeError):
        return DEFAULT_LANGUAGE
    if 'language' not in storage and _page_language_resolver is not None:
        storage['language'] = normalise_language(_page_language_resolver())
    return storage.get('language', DEFAULT_LANGUAGE)


@contextmanager
def using_language(lang: str) -> Iterator[None]:
    """Render texts in `lang` inside the block (for emails and receipts in the recipient's language)."""
    token = _explicit_language.set(normalise_language(lang))
    try:
        yield
    finally:
        _explicit_language.reset(token)


def _fill(text: str, values: dict[str, object]) -> str:
    return text.format(**values) if values else text


def t(text: str, lang: str | None = None, /, **values: object) -> str:
    """Translate a Finnish text into the current (or given) language and fill in `{placeholders}`."""
    if not text:
        return text
    return _fill(translations(lang or current_language()).gettext(text), values)


def nt(singular: str, plural: str, count: int, /, **values: object) -> str:
    """A text with a count, in the plural form the language needs for it; `{count}` is filled in."""
    return _fill(translations(current_language()).ngettext(singular, plural, count), {'count': count, **values})


def pt(context: str, text: str, /, **values: object) -> str:
    """Translate a text whose Finnish word has more than one meaning; `context` tells the meanings apart."""
    return _fill(str(translations(current_language()).pgettext(context, text)), values)


def N_(text: str) -> str:
    """Mark a Finnish text for translation where it is defined; translate it with `t()` where it is shown."""
    return text


def normalise_language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def pick(texts: dict[str, str], lang: str | None = None) -> str:
    """The text for the language from a {lang: text} dict kept in data (news, regions), Finnish as fallback."""
    lang = lang or current_language()
    return texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or ''

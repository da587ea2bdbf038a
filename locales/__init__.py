"""The translation layer: every visible text goes through `t()`.

The Finnish text is the key (Finnish is the default language and the specification's own), so a Finnish page needs
no catalogue. Swedish and English catalogues are JSON files per area in `locales/sv/` and `locales/en/`, merged at
start; a test checks that every text used in the code has both.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LANGUAGES = ('fi', 'sv', 'en')
DEFAULT_LANGUAGE = 'fi'
LANGUAGE_NAMES = {'fi': 'Suomi', 'sv': 'Svenska', 'en': 'English'}
# What <html lang> and Quasar get for each language.
HTML_LANGUAGES = {'fi': 'fi', 'sv': 'sv', 'en': 'en-GB'}
BABEL_LOCALES = {'fi': 'fi_FI', 'sv': 'sv_FI', 'en': 'en_GB'}

_LOCALES_DIR = Path(__file__).resolve().parent
# Set around work outside a page (emails, PDF receipts); pages keep their language in the client's storage.
_explicit_language: ContextVar[str | None] = ContextVar('explicit_language', default=None)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All texts of one language, merged from its area files."""
    merged: dict[str, str] = {}
    folder = _LOCALES_DIR / lang
    if folder.is_dir():
        for path in sorted(folder.glob('*.json')):
            merged.update(json.loads(path.read_text(encoding='utf-8')))
    return merged


def current_language() -> str:
    """The language being rendered: an explicit `using_language`, else the page's (set by the frame), else Finnish."""
    explicit = _explicit_language.get()
    if explicit:
        return explicit
    try:
        from nicegui import context

        return context.client.storage.get('language', DEFAULT_LANGUAGE)
    except (RuntimeError, LookupError, AttributeError):
        return DEFAULT_LANGUAGE


@contextmanager
def using_language(lang: str) -> Iterator[None]:
    """Render texts in `lang` inside the block (for emails and receipts in the recipient's language)."""
    token = _explicit_language.set(normalise_language(lang))
    try:
        yield
    finally:
        _explicit_language.reset(token)


def t(text: str, lang: str | None = None, /, **values: object) -> str:
    """Translate a Finnish text into the current (or given) language and fill in `{placeholders}`."""
    lang = lang or current_language()
    translated = text if lang == DEFAULT_LANGUAGE else catalogue(lang).get(text, text)
    return translated.format(**values) if values else translated


def N_(text: str) -> str:
    """Mark a Finnish text for translation where it is defined; translate it with `t()` where it is shown."""
    return text


def normalise_language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def pick(texts: dict[str, str], lang: str | None = None) -> str:
    """The text for the language from a {lang: text} dict kept in data (news, service hours), Finnish as fallback."""
    lang = lang or current_language()
    return texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or ''

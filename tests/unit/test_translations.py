"""The gettext catalogues: every text the code shows is in the template, every message has a Swedish and an English
translation with the same placeholders, plural forms are right for 0, 1 and 2, and the `.mo` files are compiled when
missing or stale (a fresh clone has none)."""
from __future__ import annotations

import os
import shutil
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

import locales
from locales import nt, pt, t, using_language
from locales.texts import texts_in_code, texts_in_forms

TRANSLATED = ('sv', 'en')


def read_catalogue(path: Path) -> Catalog:
    with path.open('rb') as source:
        return read_po(source)


def messages(catalogue: Catalog) -> list[Message]:
    return [message for message in catalogue if message.id]


def msgids(message: Message) -> tuple[str, ...]:
    return tuple(str(text) for text in message.id) if message.pluralizable else (str(message.id),)


def translations_of(message: Message) -> tuple[str, ...]:
    strings = message.string or ''
    return tuple(str(text) for text in strings) if message.pluralizable else (str(strings),)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def template() -> Catalog:
    return read_catalogue(locales.LOCALES_DIR / 'messages.pot')


def test_the_template_holds_every_text_of_the_code_and_forms() -> None:
    """`make translations` was run after the last text was added (or changed) in the code."""
    extracted = {text for message in messages(template()) for text in msgids(message)}
    missing = sorted((texts_in_code() | texts_in_forms()) - extracted)
    assert not missing, f'{len(missing)} texts not in locales/messages.pot (run `make translations`):\n' + \
        '\n'.join(missing)


@pytest.mark.parametrize('lang', TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    catalogue = read_catalogue(locales.po_path(lang))
    expected = {(message.context, message.id if isinstance(message.id, str) else message.id[0])
                for message in messages(template())}
    present = {(message.context, msgids(message)[0]): message for message in messages(catalogue)}
    assert expected - set(present) == set(), 'messages missing from the .po: run `make translations`'
    untranslated = [msgids(message)[0] for key, message in present.items() if key in expected and (
        message.fuzzy or not all(translations_of(message)))]
    assert not untranslated, f'{len(untranslated)} messages without a {lang} translation (or fuzzy):\n' + \
        '\n'.join(untranslated)


@pytest.mark.parametrize('lang', TRANSLATED)
def test_translations_keep_placeholders(lang: str) -> None:
    wrong = []
    for message in messages(read_catalogue(locales.po_path(lang))):
        names = set().union(*(_placeholders(text) for text in msgids(message)))
        if any(_placeholders(text) - names or (names - {'count'}) - _placeholders(text)
               for text in translations_of(message)):
            wrong.append(msgids(message)[0])
    assert not wrong, wrong


@pytest.mark.parametrize(('lang', 'expected'), [
    ('fi', ['0 palvelupyyntöä', '1 palvelupyyntö', '2 palvelupyyntöä']),
    ('sv', ['0 servicebegäranden', '1 servicebegäran', '2 servicebegäranden']),
    ('en', ['0 service requests', '1 service request', '2 service requests']),
])
def test_plural_forms_for_zero_one_and_two(lang: str, expected: list[str]) -> None:
    with using_language(lang):
        assert [nt('{count} palvelupyyntö', '{count} palvelupyyntöä', count) for count in (0, 1, 2)] == expected


@pytest.mark.parametrize(('lang', 'expected'), [
    ('fi', ['Viesti saa olla enintään 0 merkkiä.', 'Viesti saa olla enintään 1 merkki.',
            'Viesti saa olla enintään 2 merkkiä.']),
    ('en', ['The message may be at most 0 characters long.', 'The message may be at most 1 character long.',
            'The message may be at most 2 characters long.']),
])
def test_plural_forms_of_a_limit(lang: str, expected: list[str]) -> None:
    with using_language(lang):
        assert [nt('Viesti saa olla enintään {count} merkki.', 'Viesti saa olla enintään {count} merkkiä.', count)
                for count in (0, 1, 2)] == expected


@pytest.mark.parametrize('lang', TRANSLATED)
def test_every_plural_message_has_two_forms_filled(lang: str) -> None:
    """sv and en have two forms (n != 1); a plural message with one form left empty would show the Finnish."""
    catalogue = read_catalogue(locales.po_path(lang))
    assert catalogue.num_plurals == 2
    plural = [message for message in messages(catalogue) if message.pluralizable]
    assert plural and all(len(translations_of(message)) == 2 and all(translations_of(message)) for message in plural)


def test_a_context_separates_the_meanings_of_one_finnish_word() -> None:
    with using_language('sv'):
        assert pt('sähköpostit', 'Kaikki') == 'Alla'
        assert t('Kaikki') == 'Alla'
    with using_language('fi'):
        assert pt('sähköpostit', 'Kaikki') == 'Kaikki'


def test_missing_or_stale_mo_is_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(locales.LOCALES_DIR / 'sv', tmp_path / 'sv', ignore=shutil.ignore_patterns('*.mo', '*.json'))
    monkeypatch.setattr(locales, 'LOCALES_DIR', tmp_path)
    mo = tmp_path / 'sv' / 'LC_MESSAGES' / 'messages.mo'
    assert not mo.exists()
    compiled = locales.compile_catalogue('sv')
    assert mo.read_bytes() == compiled
    po = locales.po_path('sv')
    po.write_text(po.read_text(encoding='utf-8').replace('msgstr "Alla"', 'msgstr "Allihop"'), encoding='utf-8')
    os.utime(po, (mo.stat().st_mtime + 10, mo.stat().st_mtime + 10))
    assert b'Allihop' in locales.compile_catalogue('sv') and b'Allihop' in mo.read_bytes()

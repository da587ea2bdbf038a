"""Every text the code passes to `t()` has a Swedish and an English translation, with the same placeholders."""
import string

import pytest

from locales import catalogue
from locales.texts import texts_in_code, texts_in_forms


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize('lang', ['sv', 'en'])
def test_every_text_is_translated(lang: str) -> None:
    translations = catalogue(lang)
    missing = sorted((texts_in_code() | texts_in_forms()) - set(translations))
    assert not missing, f'{len(missing)} texts without a {lang} translation:\n' + '\n'.join(missing)


@pytest.mark.parametrize('lang', ['sv', 'en'])
def test_translations_keep_placeholders(lang: str) -> None:
    wrong = [key for key, value in catalogue(lang).items() if _placeholders(key) != _placeholders(value)]
    assert not wrong, wrong

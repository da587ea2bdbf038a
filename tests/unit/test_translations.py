"""Every text the code passes to `t()` has a Swedish and an English translation, with the same placeholders."""
import ast
import string
from pathlib import Path

import pytest

from locales import catalogue
from services.forms import FORMS

PROJECT_DIR = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ('pages', 'components', 'auth', 'services')


def texts_in_code() -> set[str]:
    texts: set[str] = set()
    for folder in SOURCE_DIRS:
        for path in (PROJECT_DIR / folder).rglob('*.py'):
            for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ('t', 'N_')
                        and node.args and isinstance(node.args[0], ast.Constant)):
                    texts.add(str(node.args[0].value))
    return texts


def texts_in_forms() -> set[str]:
    texts: set[str] = set()
    for form in FORMS.values():
        texts |= {form.title, form.description, *form.instructions}
        for step in form.steps:
            texts |= {step.title} | ({step.intro} if step.intro else set())
            for field in step.fields:
                texts |= {field.label} | ({field.help} if field.help else set()) | {label for _, label in field.options}
                texts |= {field.answer_label} if field.answer_label else set()
    return texts


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

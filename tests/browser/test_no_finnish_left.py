"""No Finnish left on a Swedish or English page: every page the portal registers (asked from the code, as the axe test
does), as a citizen and as a handler, in svenska and in English. A tab title, a heading or a line of visible text that
equals a Finnish source text of the catalogue fails the test (unless the translation is the same word, or the text is
a proper name on the allow-list). Region and organisation names of the demo data count as Finnish texts too."""
from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Page

from locales import LOCALES_DIR
from services.demo_data import ORGANISATION_NAMES, REGIONS
from tests.browser.conftest import sign_in_with_password
from tests.browser.test_axe_every_page import (
    CHECKED_ELSEWHERE,
    DEMO_PASSWORD,
    choose_language,
    concrete,
    page_paths,
    staff_pages_in,
)
from tests.support.browser import wait_for_page
from tests.support.server import PortalServer

# Proper names and words that are the same in every language the portal speaks.
ALLOWED = {'MONETRA', 'Monetra', 'Suomi.fi', 'Suomi', 'Svenska', 'English'}
ARTIFACTS = Path(__file__).resolve().parents[2] / 'test-artifacts'

_SEEN_TEXTS = '''() => {
    const visible = element => element.offsetParent !== null || element.getClientRects().length > 0;
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]
        .filter(visible).map(element => element.innerText);
    return {title: document.title, headings, lines: document.body.innerText.split('\\n')};
}'''


def finnish_sources(lang: str) -> set[str]:
    """The catalogue's Finnish texts whose translation into `lang` differs, placeholders left out."""
    with (LOCALES_DIR / lang / 'LC_MESSAGES' / 'messages.po').open('rb') as source:
        catalogue = read_po(source)
    texts: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        finnish_forms = tuple(message.id) if message.pluralizable else (message.id,)
        translated_forms = tuple(message.string or ()) if message.pluralizable else (message.string,)
        texts |= {str(finnish) for finnish, translated in zip(finnish_forms, translated_forms, strict=True)
                  if finnish != translated and '{' not in str(finnish)}
    # Names the data carries in Swedish and English too (regions in ALUE, organisations in ASIOINTIPROFIILI).
    names: dict[str, dict[str, str]] = {str(spec['name']): cast(dict[str, str], spec['name_translations'])
                                        for spec in REGIONS} | ORGANISATION_NAMES
    texts |= {finnish for finnish, translated in names.items() if translated.get(lang, finnish) != finnish}
    return texts - ALLOWED


def finnish_on_page(page: Page, path: str, finnish: set[str]) -> list[str]:
    page.goto(path)
    wait_for_page(page)
    seen = page.evaluate(_SEEN_TEXTS)
    title = seen['title'].rsplit(' – ', 1)[0].strip()
    problems = [f'{path}: tab title {seen["title"]!r}'] if title in finnish else []
    problems += [f'{path}: heading {text!r}' for text in seen['headings'] if text.strip() in finnish]
    problems += [f'{path}: text {line.strip()!r}' for line in seen['lines']
                 if line.strip() in finnish and line.strip() not in {h.strip() for h in seen['headings']}]
    return problems


def walk(page: Page, paths: list[str], lang: str) -> list[str]:
    finnish = finnish_sources(lang)
    problems = [problem for path in paths for problem in finnish_on_page(page, path, finnish)]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f'no-finnish-last-page-{lang}.png'), full_page=True)
    return problems


@pytest.mark.parametrize('lang', ['sv', 'en'])
def test_citizen_and_public_pages_have_no_finnish_left(page: Page, portal: PortalServer, lang: str) -> None:
    paths = [p for p in page_paths() if not p.startswith('/kasittely') and p not in CHECKED_ELSEWHERE]
    public = ['/', '/kirjaudu', '/kirjaudu/salasana', '/kirjaudu/virhe', '/saavutettavuusseloste']
    sign_in_with_password(page, 'onni.korhonen', DEMO_PASSWORD)
    choose_language(page, lang)
    problems = walk(page, [concrete(p) for p in paths if p not in public], lang)
    page.goto('/kirjaudu/ulos')
    wait_for_page(page)
    problems += walk(page, [p for p in public if p in paths], lang)
    assert problems == [], '\n'.join(problems)


@pytest.mark.parametrize('lang', ['sv', 'en'])
def test_handler_and_admin_pages_have_no_finnish_left(page: Page, lang: str) -> None:
    problems = walk(page, staff_pages_in(page, lang), lang)
    assert problems == [], '\n'.join(problems)

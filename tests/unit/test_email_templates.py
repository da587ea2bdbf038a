"""The Jinja2 email templates: every kind in every language escapes whatever people typed in the HTML part and leaves
it as typed in the plain-text part; a value the template needs but was not given is an error, not an empty string."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import jinja2
import pytest
from markupsafe import escape

from services.email import templates
from services.email.templates import EmailContent, EmailKind, EmailParts, RequestRef

HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>']
REF = RequestRef(number=978373, service_code='tilinumero-liikasuoritus')


def render_each_kind(lang: str, bad: str) -> dict[str, EmailContent]:
    """Every kind with `bad` in every value that comes from people: the name, the centre's text, the answers."""
    answers: Callable[[], list[tuple[str, list[tuple[str, str]]]]] = lambda: [(bad, [(bad, bad)])]  # noqa: E731
    kinds: dict[str, tuple[Callable[..., EmailParts], tuple[object, ...]]] = {
        'request_sent': (templates.request_sent, (REF, bad, datetime(2026, 11, 3, 10, tzinfo=UTC))),
        'registration': (templates.registration, (bad,)),
        'draft_expiring': (templates.draft_expiring, (REF, bad, date(2027, 1, 31))),
        'receipt': (templates.receipt, (REF, bad, datetime(2026, 11, 3, 10, tzinfo=UTC), answers)),
    }
    for kind in (EmailKind.MESSAGE, EmailKind.QUESTION, EmailKind.INFO_REQUEST, EmailKind.RESOLVED):
        kinds[kind] = (lambda k, *args: templates.centre_message(k, *args), (kind, REF, bad, f'Hei!\n{bad}'))
    return {name: templates.render(factory, lang, *args) for name, (factory, args) in kinds.items()}


@pytest.mark.parametrize('bad', HOSTILE)
@pytest.mark.parametrize('lang', ['fi', 'sv', 'en'])
def test_every_kind_escapes_html_and_keeps_text_as_typed(lang: str, bad: str) -> None:
    emails = render_each_kind(lang, bad)
    assert len(emails) == len(EmailKind)
    escaped = str(escape(bad))
    for kind, email in emails.items():
        assert bad not in email.html, kind
        assert '<script' not in email.html and '<img' not in email.html, kind
        assert escaped in email.html, kind
        assert bad in email.text, kind
        assert '&lt;' not in email.text and '&#34;' not in email.text, kind
        assert f'<html lang="{lang}">' in email.html, kind


def test_the_plain_text_has_the_quote_and_the_receipts_answers() -> None:
    email = templates.render(lambda: templates.centre_message(EmailKind.QUESTION, REF, 'Onni', 'Rivi 1\nRivi 2'), 'fi')
    assert 'Kysymys:\n> Rivi 1\n> Rivi 2\n' in email.text
    assert email.text.startswith('Hei Onni,\n\n') and email.text.endswith('asiakaspalvelu\n')
    rows = [('Name', 'Onni Korhonen'), ('Address', 'Katu 1\nJyväskylä')]
    receipt = templates.render(templates.receipt, 'en', REF, 'Onni', None, lambda: [('Contact details', rows)])
    assert 'Contact details\nName: Onni Korhonen\nAddress: Katu 1\nJyväskylä\n' in receipt.text
    assert '<strong>Address:</strong> Katu 1<br>Jyväskylä</p>' in receipt.html


def test_a_missing_value_is_an_error() -> None:
    """StrictUndefined: a template naming a value the email does not have fails loudly."""
    values = {'greeting': 'Hei,', 'paragraphs': [], 'link': '', 'footnotes': [], 'request_line': 'Palvelupyyntö 1'}
    template = templates._environment().get_template('request_sent.txt.j2')
    assert 'Palvelupyyntö 1' in template.render(values)
    with pytest.raises(jinja2.UndefinedError, match='request_line'):
        template.render({k: v for k, v in values.items() if k != 'request_line'})

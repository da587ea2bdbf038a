"""The emails' texts in Finnish, Swedish and English, as plain text and HTML from one description.

Each kind is described once as an `EmailParts` (greeting, paragraphs, the request, the quoted message, a link), its
texts translated here through `t()` in the recipient's language. The Jinja2 templates in `jinja/` lay it out: one
base layout per format (`base.html.j2`, `base.txt.j2`) shared by the three languages, and one pair per kind that
extends it, so the text and HTML versions never disagree. HTML is autoescaped, plain text is not; a missing value is
an error (StrictUndefined), never an empty string. Emails name the request by number and title and quote the
centre's message; they never carry the identity number or attachment contents.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from config import get_settings
from locales import t, using_language
from services.catalogue import service_title
from services.formatting import FINNISH_TIME, format_date, format_datetime


class EmailKind(StrEnum):
    REQUEST_SENT = 'request_sent'
    MESSAGE = 'message'
    QUESTION = 'question'
    INFO_REQUEST = 'info_request'
    RESOLVED = 'resolved'
    REGISTRATION = 'registration'
    DRAFT_EXPIRING = 'draft_expiring'
    RECEIPT = 'receipt'  # a copy of the receipt, asked for by its owner (a kiosk offers it instead of a download)


@dataclass(frozen=True)
class EmailContent:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class RequestRef:
    """What an email may say about a request: its number and service, nothing from the form."""

    number: int
    service_code: str


@dataclass(frozen=True)
class ReceiptSection:
    """One step of the receipt: its title and the answers as (label, value)."""

    title: str
    rows: list[tuple[str, str]]


@dataclass
class EmailParts:
    """Everything a template may show, already translated. `template` names the pair in `jinja/` that lays it out."""

    template: str
    subject: str
    heading: str
    greeting: str
    paragraphs: list[str]
    request_line: str | None = None
    quote_label: str | None = None
    quote: str | None = None
    link_text: str = ''
    link: str = ''
    footnotes: list[str] = field(default_factory=list)
    sections: list[ReceiptSection] = field(default_factory=list)


def request_link(number: int) -> str:
    return f'{get_settings().base_url}/oma-asiointi/{number}'


def _greeting(name: str) -> str:
    return t('Hei {name},', name=name) if name else t('Hei,')


def _request_line(request: RequestRef) -> str:
    return t('Palvelupyyntö: {number} : {title}', number=request.number, title=t(service_title(request.service_code)))


def _finish(parts: EmailParts) -> EmailParts:
    brand = get_settings().brand_name
    parts.footnotes.append(t('Tämä on automaattinen viesti, eikä siihen voi vastata. Vastaa palvelupyynnön viesteihin '
                             'Oma asiointi -palvelussa.'))
    parts.footnotes.append(t('Ystävällisin terveisin\n{brand} asiakaspalvelu', brand=brand))
    return parts


def _request_parts(request: RequestRef, name: str, *, template: str, subject: str, heading: str,
                   paragraphs: list[str], quote_label: str | None = None, quote: str | None = None,
                   sections: list[ReceiptSection] | None = None) -> EmailParts:
    return _finish(EmailParts(
        template=template, subject=subject, heading=heading, greeting=_greeting(name), paragraphs=paragraphs,
        request_line=_request_line(request), quote_label=quote_label, quote=quote,
        link_text=t('Avaa palvelupyyntö Oma asiointi -palvelussa'), link=request_link(request.number),
        sections=sections or []))


def request_sent(request: RequestRef, name: str, sent_at: datetime) -> EmailParts:
    return _request_parts(
        request, name, template='request_sent',
        subject=t('Palvelupyyntö {number} on vastaanotettu', number=request.number),
        heading=t('Palvelupyyntösi on vastaanotettu'),
        paragraphs=[t('Kiitos! Palvelupyyntösi lähetettiin {time}.', time=format_datetime(sent_at)),
                    t('Saat sähköpostia, kun palvelupyyntöösi vastataan tai siihen tarvitaan lisätietoja. '
                      'Voit seurata käsittelyä Oma asiointi -palvelussa.')])


def centre_message(kind: EmailKind, request: RequestRef, name: str, text: str) -> EmailParts:
    """The four kinds the centre writes share one template pair: only their texts differ."""
    number = request.number
    template = 'centre_message'
    if kind == EmailKind.QUESTION:
        return _request_parts(
            request, name, template=template, subject=t('Lisäkysymys palvelupyyntöön {number}', number=number),
            heading=t('Asiakaspalvelu esitti lisäkysymyksen'),
            paragraphs=[t('Asiakaspalvelu esitti palvelupyyntöösi lisäkysymyksen. Vastaa kysymykseen Oma asiointi '
                          '-palvelussa, niin käsittely voi jatkua.')],
            quote_label=t('Kysymys'), quote=text)
    if kind == EmailKind.INFO_REQUEST:
        return _request_parts(
            request, name, template=template,
            subject=t('Palvelupyyntöön {number} pyydetään lisätietoja', number=number),
            heading=t('Palvelupyyntöösi pyydetään lisätietoja'),
            paragraphs=[t('Asiakaspalvelu pyytää sinua täydentämään palvelupyyntöä. Täydennä ja lähetä '
                          'palvelupyyntö uudelleen Oma asiointi -palvelussa.')],
            quote_label=t('Lisätietopyyntö'), quote=text)
    if kind == EmailKind.RESOLVED:
        return _request_parts(
            request, name, template=template, subject=t('Palvelupyyntö {number} on ratkaistu', number=number),
            heading=t('Palvelupyyntösi on ratkaistu'),
            paragraphs=[t('Palvelupyyntösi on käsitelty. Ratkaisu on alla, ja se löytyy myös Oma asiointi '
                          '-palvelun Valmiit-välilehdeltä.')],
            quote_label=t('Ratkaisu'), quote=text)
    return _request_parts(
        request, name, template=template, subject=t('Uusi viesti palvelupyyntöön {number}', number=number),
        heading=t('Sinulle on uusi viesti'),
        paragraphs=[t('Asiakaspalvelu lähetti viestin palvelupyyntöösi.')],
        quote_label=t('Viesti'), quote=text)


def receipt(request: RequestRef, name: str, sent_at: datetime | None,
            read_answers: Callable[[], list[tuple[str, list[tuple[str, str]]]]]) -> EmailParts:
    """The receipt's contents as the PDF has them; `read_answers` is called here so they are in the recipient's
    language."""
    return _request_parts(
        request, name, template='receipt', subject=t('Kuittaus palvelupyynnöstä {number}', number=request.number),
        heading=t('Kuittaus palvelupyynnöstä {number}', number=request.number),
        paragraphs=[t('Pyysit kuittauksen sähköpostiisi. Palvelupyyntö lähetettiin {time}.',
                      time=format_datetime(sent_at))],
        sections=[ReceiptSection(title, rows) for title, rows in read_answers()])


def _allowed_footnote() -> str:
    return t('Saat tämän viestin, koska olet sallinut sähköpostin lähettämisen. Voit muuttaa valintaa Omat tiedot '
             '-sivulla.')


def registration(name: str) -> EmailParts:
    brand = get_settings().brand_name
    parts = EmailParts(
        template='registration', subject=t('Tervetuloa {brand}-asiakaspalveluportaaliin', brand=brand),
        heading=t('Rekisteröityminen on valmis'), greeting=_greeting(name),
        paragraphs=[t('Olet rekisteröitynyt {brand}-asiakaspalveluportaalin käyttäjäksi. Voit nyt lähettää '
                      'palvelupyyntöjä ja seurata niiden käsittelyä Oma asiointi -palvelussa.', brand=brand)],
        link_text=t('Siirry Oma asiointi -palveluun'), link=f'{get_settings().base_url}/oma-asiointi',
        footnotes=[_allowed_footnote()])
    return _finish(parts)


def draft_expiring(request: RequestRef, name: str, delete_on: date) -> EmailParts:
    day = format_date(datetime.combine(delete_on, time(12), tzinfo=FINNISH_TIME))
    parts = _request_parts(
        request, name, template='draft_expiring',
        subject=t('Luonnos {number} poistetaan {date}', number=request.number, date=day),
        heading=t('Lähettämätön luonnos poistetaan'),
        paragraphs=[t('Et ole vielä lähettänyt palvelupyyntöäsi. Luonnos poistetaan {date}. Jos haluat lähettää '
                      'palvelupyynnön, avaa luonnos ja lähetä se ennen sitä.', date=day)])
    parts.footnotes.insert(0, _allowed_footnote())
    return parts


def _nl2br(value: object) -> Markup:
    """Escape, then keep the line breaks of a text (a greeting's signature, a receipt's multi-line answer)."""
    return Markup('<br>').join(escape(value).split('\n'))


@cache
def _environment() -> Environment:
    """One environment for both formats: `.html.j2` is autoescaped and `.txt.j2` is not; a template with any other
    name is escaped rather than trusted."""
    env = Environment(
        loader=FileSystemLoader(Path(__file__).with_name('jinja')),
        autoescape=select_autoescape(enabled_extensions=('html', 'html.j2'), disabled_extensions=('txt', 'txt.j2'),
                                     default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters['nl2br'] = _nl2br
    return env


def render_parts(parts: EmailParts, lang: str) -> EmailContent:
    """Both bodies of one email from its template pair."""
    env = _environment()
    values = {**asdict(parts), 'lang': lang, 'brand': get_settings().brand_name}
    return EmailContent(subject=parts.subject,
                        text=env.get_template(f'{parts.template}.txt.j2').render(values),
                        html=env.get_template(f'{parts.template}.html.j2').render(values))


def render(parts_factory: Callable[..., EmailParts], lang: str, *args: object) -> EmailContent:
    """Build and render an email in `lang`: every `t()` inside the factory uses the recipient's language."""
    with using_language(lang):
        return render_parts(parts_factory(*args), lang)

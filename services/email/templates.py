"""The emails' texts in Finnish, Swedish and English, as plain text and HTML from one description.

Each kind is described once as an `EmailParts` (greeting, paragraphs, the request, the quoted message, a link); one
renderer turns it into both bodies, so the text and HTML versions never disagree. Emails name the request by number
and title and quote the centre's message; they never carry the identity number or attachment contents.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

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


@dataclass
class EmailParts:
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


def _request_parts(request: RequestRef, name: str, *, subject: str, heading: str, paragraphs: list[str],
                   quote_label: str | None = None, quote: str | None = None) -> EmailParts:
    return _finish(EmailParts(
        subject=subject, heading=heading, greeting=_greeting(name), paragraphs=paragraphs,
        request_line=_request_line(request), quote_label=quote_label, quote=quote,
        link_text=t('Avaa palvelupyyntö Oma asiointi -palvelussa'), link=request_link(request.number)))


def request_sent(request: RequestRef, name: str, sent_at: datetime) -> EmailParts:
    return _request_parts(
        request, name,
        subject=t('Palvelupyyntö {number} on vastaanotettu', number=request.number),
        heading=t('Palvelupyyntösi on vastaanotettu'),
        paragraphs=[t('Kiitos! Palvelupyyntösi lähetettiin {time}.', time=format_datetime(sent_at)),
                    t('Saat sähköpostia, kun palvelupyyntöösi vastataan tai siihen tarvitaan lisätietoja. '
                      'Voit seurata käsittelyä Oma asiointi -palvelussa.')])


def centre_message(kind: EmailKind, request: RequestRef, name: str, text: str) -> EmailParts:
    number = request.number
    if kind == EmailKind.QUESTION:
        return _request_parts(
            request, name, subject=t('Lisäkysymys palvelupyyntöön {number}', number=number),
            heading=t('Asiakaspalvelu esitti lisäkysymyksen'),
            paragraphs=[t('Asiakaspalvelu esitti palvelupyyntöösi lisäkysymyksen. Vastaa kysymykseen Oma asiointi '
                          '-palvelussa, niin käsittely voi jatkua.')],
            quote_label=t('Kysymys'), quote=text)
    if kind == EmailKind.INFO_REQUEST:
        return _request_parts(
            request, name, subject=t('Palvelupyyntöön {number} pyydetään lisätietoja', number=number),
            heading=t('Palvelupyyntöösi pyydetään lisätietoja'),
            paragraphs=[t('Asiakaspalvelu pyytää sinua täydentämään palvelupyyntöä. Täydennä ja lähetä '
                          'palvelupyyntö uudelleen Oma asiointi -palvelussa.')],
            quote_label=t('Lisätietopyyntö'), quote=text)
    if kind == EmailKind.RESOLVED:
        return _request_parts(
            request, name, subject=t('Palvelupyyntö {number} on ratkaistu', number=number),
            heading=t('Palvelupyyntösi on ratkaistu'),
            paragraphs=[t('Palvelupyyntösi on käsitelty. Ratkaisu on alla, ja se löytyy myös Oma asiointi '
                          '-palvelun Valmiit-välilehdeltä.')],
            quote_label=t('Ratkaisu'), quote=text)
    return _request_parts(
        request, name, subject=t('Uusi viesti palvelupyyntöön {number}', number=number),
        heading=t('Sinulle on uusi viesti'),
        paragraphs=[t('Asiakaspalvelu lähetti viestin palvelupyyntöösi.')],
        quote_label=t('Viesti'), quote=text)


def receipt(request: RequestRef, name: str, sent_at: datetime | None,
            read_answers: Callable[[], list[tuple[str, list[tuple[str, str]]]]]) -> EmailParts:
    """The receipt's contents as the PDF has them; `read_answers` is called here so they are in the recipient's
    language."""
    sections = ['\n'.join([title, *(f'{label}: {value}' for label, value in rows)]) for title, rows in read_answers()]
    return _request_parts(
        request, name, subject=t('Kuittaus palvelupyynnöstä {number}', number=request.number),
        heading=t('Kuittaus palvelupyynnöstä {number}', number=request.number),
        paragraphs=[t('Pyysit kuittauksen sähköpostiisi. Palvelupyyntö lähetettiin {time}.',
                      time=format_datetime(sent_at)), *sections])


def _allowed_footnote() -> str:
    return t('Saat tämän viestin, koska olet sallinut sähköpostin lähettämisen. Voit muuttaa valintaa Omat tiedot '
             '-sivulla.')


def registration(name: str) -> EmailParts:
    brand = get_settings().brand_name
    parts = EmailParts(
        subject=t('Tervetuloa {brand}-asiakaspalveluportaaliin', brand=brand),
        heading=t('Rekisteröityminen on valmis'), greeting=_greeting(name),
        paragraphs=[t('Olet rekisteröitynyt {brand}-asiakaspalveluportaalin käyttäjäksi. Voit nyt lähettää '
                      'palvelupyyntöjä ja seurata niiden käsittelyä Oma asiointi -palvelussa.', brand=brand)],
        link_text=t('Siirry Oma asiointi -palveluun'), link=f'{get_settings().base_url}/oma-asiointi',
        footnotes=[_allowed_footnote()])
    return _finish(parts)


def draft_expiring(request: RequestRef, name: str, delete_on: date) -> EmailParts:
    day = format_date(datetime.combine(delete_on, time(12), tzinfo=FINNISH_TIME))
    parts = _request_parts(
        request, name, subject=t('Luonnos {number} poistetaan {date}', number=request.number, date=day),
        heading=t('Lähettämätön luonnos poistetaan'),
        paragraphs=[t('Et ole vielä lähettänyt palvelupyyntöäsi. Luonnos poistetaan {date}. Jos haluat lähettää '
                      'palvelupyynnön, avaa luonnos ja lähetä se ennen sitä.', date=day)])
    parts.footnotes.insert(0, _allowed_footnote())
    return parts


def render_text(parts: EmailParts) -> str:
    blocks = [parts.greeting, *parts.paragraphs]
    if parts.request_line:
        blocks.append(parts.request_line)
    if parts.quote:
        blocks.append(f'{parts.quote_label}:\n' + '\n'.join(f'> {line}' for line in parts.quote.splitlines()))
    if parts.link:
        blocks.append(f'{parts.link_text}:\n{parts.link}')
    blocks.extend(parts.footnotes)
    return '\n\n'.join(blocks) + '\n'


def _paragraph(text: str, style: str = '') -> str:
    body = html.escape(text).replace('\n', '<br>')
    return f'<p style="margin:0 0 16px;{style}">{body}</p>'


def render_html(parts: EmailParts, lang: str) -> str:
    """A plain layout with inline styles (mail programs drop style sheets); every value is escaped."""
    brand = html.escape(get_settings().brand_name)
    out = [f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width"><title>{html.escape(parts.subject)}</title></head>',
           '<body style="margin:0;padding:0;background:#f4f6f8;font-family:Arial,Helvetica,sans-serif;'
           'color:#1b1b1b;font-size:16px;line-height:1.5">',
           '<div style="max-width:600px;margin:0 auto;background:#ffffff">',
           f'<div style="background:#00466e;color:#ffffff;padding:16px 24px;font-size:20px;font-weight:bold;'
           f'letter-spacing:2px">{brand}</div>',
           '<div style="padding:24px">',
           f'<h1 style="font-size:22px;margin:0 0 16px">{html.escape(parts.heading)}</h1>',
           _paragraph(parts.greeting)]
    out += [_paragraph(text) for text in parts.paragraphs]
    if parts.request_line:
        out.append(_paragraph(parts.request_line, 'font-weight:bold'))
    if parts.quote:
        out.append(f'<p style="margin:0 0 4px;font-weight:bold">{html.escape(parts.quote_label or "")}</p>'
                   '<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #00466e;'
                   f'background:#eef3f7;white-space:pre-wrap">{html.escape(parts.quote)}</blockquote>')
    if parts.link:
        out.append(f'<p style="margin:0 0 24px"><a href="{html.escape(parts.link)}" style="color:#00507a;'
                   f'font-weight:bold">{html.escape(parts.link_text)}</a></p>')
    out += [_paragraph(text, 'font-size:14px;color:#444444') for text in parts.footnotes]
    out.append('</div></div></body></html>\n')
    return '\n'.join(out)


def render(parts_factory: Callable[..., EmailParts], lang: str, *args: object) -> EmailContent:
    """Build and render an email in `lang`: every `t()` inside the factory uses the recipient's language."""
    with using_language(lang):
        parts = parts_factory(*args)
        return EmailContent(subject=parts.subject, text=render_text(parts), html=render_html(parts, lang))

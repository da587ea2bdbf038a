"""The PDF receipt of a sent request: its number, when it was sent, and every answer as the preview showed it.

The receipt is a tagged PDF (`pdfinfo`: "Tagged: yes"): the document language, the title shown in the window, and a
structure of headings (H1, H2) and paragraphs in reading order, each label–value pair one paragraph. fpdf2 2.8 tags
only images and links itself and keeps its structure tree one level deep, so the marking of text below uses its
structure builder directly (fpdf2 is pinned in pyproject.toml); a label–value table (Table/TR/TH/TD) would need
nesting that fpdf2 does not write, which `services.accessibility_statement` says.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fpdf import FPDF, ViewerPreferences
from fpdf.enums import XPos, YPos

from config import get_settings
from locales import current_language, t
from models import User
from models.db import session_scope

from . import notifications
from .answers import answer_sections
from .email.templates import RequestRef
from .fields import form_text
from .formatting import format_datetime
from .workflow import SentRequest, sent_request

# DejaVu (Debian's fonts-dejavu-core) has Finnish and Swedish letters and the euro sign; fpdf2's core fonts do not.
FONT_DIR = Path('/usr/share/fonts/truetype/dejavu')
LINE_HEIGHT = 5  # mm, for the 10 pt answer rows
LABEL_SHARE = 0.38  # of the text width; the value takes the rest


class NoRegisteredEmail(Exception):
    """The user has no email address in their own details to send the receipt to."""


def email_receipt(user_id: int, number: int) -> str:
    """Send the receipt of the user's own sent request to the email address in their own details and say which
    (a kiosk offers this instead of a download that would stay in the shared browser). Someone else's or an unknown
    number raises `RequestNotAvailable`, as everywhere."""
    sent = sent_request(user_id, number)

    def read_answers() -> list[tuple[str, list[tuple[str, str]]]]:
        return [(section.title, [(row.label, row.value) for row in section.rows])
                for section in answer_sections(sent.form, sent.answers, sent.attachment_names)]

    with session_scope() as db:
        owner = db.get(User, user_id)
        if owner is None or not owner.email:
            raise NoRegisteredEmail
        notifications.receipt_copy(db, owner, RequestRef(number=sent.number, service_code=sent.form.code),
                                   sent.sent_at, read_answers)
        return owner.email


def receipt_file_name(number: int) -> str:
    """The download's name in the current language: kuittaus-979826.pdf, kvitto-…, receipt-…."""
    return t('kuittaus-{number}.pdf', number=number)


@contextmanager
def _tagged(pdf: FPDF, struct_type: str) -> Iterator[None]:
    """Mark what is drawn inside as one structure element (e.g. '/H1', '/P') of the tagged PDF. The caller keeps it
    on one page (a marked-content sequence cannot cross a page break)."""
    mcid = pdf.struct_builder.next_mcid_for_page(pdf.page)
    pdf._add_marked_content(struct_type=struct_type, mcid=mcid)
    pdf._out(f'{struct_type} <</MCID {mcid}>> BDC')
    start_page = pdf.page
    yield
    assert pdf.page == start_page, 'a tagged element crossed a page break'
    pdf._out('EMC')


def _wrapped(pdf: FPDF, width: float, height: float, text: str) -> list[str]:
    """The lines `text` wraps into in the current font, without drawing it. fpdf2 types multi_cell's result as the
    union of every `output` choice; with output='LINES' it is the list of lines."""
    lines = pdf.multi_cell(width, height, text, dry_run=True, output='LINES')
    assert isinstance(lines, list)
    return lines


def _lines(pdf: FPDF, width: float, text: str, *, bold: bool, size: float = 10) -> int:
    """How many lines `text` takes in the font it will be drawn in (bold labels wrap sooner than regular text)."""
    pdf.set_font('DejaVu', 'B' if bold else '', size)
    return len(_wrapped(pdf, width, LINE_HEIGHT, text))


def build_receipt(request: SentRequest) -> bytes:
    """The receipt in the current language (call inside `locales.using_language` outside a page), labelled as the
    form version the request was filled in with."""
    pdf = FPDF(format='A4')
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font('DejaVu', '', str(FONT_DIR / 'DejaVuSans.ttf'))
    pdf.add_font('DejaVu', 'B', str(FONT_DIR / 'DejaVuSans-Bold.ttf'))
    brand = get_settings().brand_name
    title = t('Kuittaus palvelupyynnöstä {number}', number=request.number)
    pdf.set_title(title)
    pdf.set_author(brand)
    pdf.set_lang(current_language())  # the document language screen readers use
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)  # the title, not the file name, in the window
    pdf.add_page()
    width = pdf.epw

    def line(text: str, *, size: float = 10, bold: bool = False, gap: float = 1.5, tag: str = '/P') -> None:
        pdf.set_font('DejaVu', 'B' if bold else '', size)
        height = len(_wrapped(pdf, width, size * 0.5, text)) * size * 0.5
        if pdf.will_page_break(height):
            pdf.add_page()
        with _tagged(pdf, tag):
            pdf.multi_cell(width, size * 0.5, text, align='L', new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    def answer_row(label: str, value: str) -> None:
        label_width, value_width = width * LABEL_SHARE, width * (1 - LABEL_SHARE)
        rows = max(_lines(pdf, label_width, label, bold=True), _lines(pdf, value_width, value, bold=False))
        if pdf.will_page_break(rows * LINE_HEIGHT):
            pdf.add_page()
        top = pdf.get_y()
        with _tagged(pdf, '/P'):  # label, then value: the reading order
            pdf.set_font('DejaVu', 'B', 10)
            pdf.multi_cell(label_width, LINE_HEIGHT, label, align='L', new_x=XPos.RIGHT, new_y=YPos.TOP)
            pdf.set_font('DejaVu', '', 10)
            pdf.multi_cell(value_width, LINE_HEIGHT, value, align='L', new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(top + rows * LINE_HEIGHT + 1.5)

    line(brand, size=11, bold=True)
    line(title, size=16, bold=True, gap=2, tag='/H1')
    line(f'{request.number} : {form_text(request.form.title)}', size=11, bold=True)
    line(t('Lähetetty: {time}', time=format_datetime(request.sent_at)))
    line(t('Käsittelyvaihe: {stage}', stage=t(request.stage)), gap=4)
    for section in answer_sections(request.form, request.answers, request.attachment_names):
        line(section.title, size=13, bold=True, gap=1, tag='/H2')
        for row in section.rows:
            answer_row(row.label, row.value)
        pdf.ln(3)
    line(t('Tämä kuittaus on tulostettu asiakaspalveluportaalista. Palvelupyynnön tilannetta voit seurata '
           'Oma asiointi -osion Lähetetyt-välilehdeltä.'), size=9)
    return bytes(pdf.output())

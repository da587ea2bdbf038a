"""The PDF receipt of a sent request: its number, when it was sent, and every answer as the preview showed it."""
from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from config import get_settings
from locales import current_language, t

from .answers import answer_sections
from .formatting import format_datetime
from .workflow import SentRequest

# DejaVu (Debian's fonts-dejavu-core) has Finnish and Swedish letters and the euro sign; fpdf2's core fonts do not.
FONT_DIR = Path('/usr/share/fonts/truetype/dejavu')


def build_receipt(request: SentRequest) -> bytes:
    """The receipt in the current language (call inside `locales.using_language` outside a page)."""
    pdf = FPDF(format='A4')
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font('DejaVu', '', str(FONT_DIR / 'DejaVuSans.ttf'))
    pdf.add_font('DejaVu', 'B', str(FONT_DIR / 'DejaVuSans-Bold.ttf'))
    brand = get_settings().brand_name
    pdf.set_title(t('Kuittaus palvelupyynnöstä {number}', number=request.number))
    pdf.set_author(brand)
    pdf.set_lang(current_language())  # the document language screen readers use
    pdf.add_page()
    width = pdf.epw

    def line(text: str, *, size: float = 10, bold: bool = False, gap: float = 1.5) -> None:
        pdf.set_font('DejaVu', 'B' if bold else '', size)
        pdf.multi_cell(width, size * 0.5, text, align='L', new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    line(brand, size=11, bold=True)
    line(t('Kuittaus palvelupyynnöstä {number}', number=request.number), size=16, bold=True, gap=2)
    line(f'{request.number} : {t(request.form.title)}', size=11, bold=True)
    line(t('Lähetetty: {time}', time=format_datetime(request.sent_at)))
    line(t('Käsittelyvaihe: {stage}', stage=t(request.stage)), gap=4)
    for section in answer_sections(request.form, request.answers, request.attachment_names):
        line(section.title, size=13, bold=True, gap=1)
        for row in section.rows:
            pdf.set_font('DejaVu', 'B', 10)
            pdf.multi_cell(width * 0.38, 5, row.label, align='L', new_x=XPos.RIGHT, new_y=YPos.TOP)
            top = pdf.get_y()
            pdf.set_font('DejaVu', '', 10)
            pdf.multi_cell(width * 0.62, 5, row.value, align='L', new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            label_lines = len(pdf.multi_cell(width * 0.38, 5, row.label, dry_run=True, output='LINES'))
            pdf.set_y(max(pdf.get_y(), top + label_lines * 5) + 1.5)
        pdf.ln(3)
    line(t('Tämä kuittaus on tulostettu asiakaspalveluportaalista. Palvelupyynnön tilannetta voit seurata '
           'Oma asiointi -osion Lähetetyt-välilehdeltä.'), size=9)
    return bytes(pdf.output())

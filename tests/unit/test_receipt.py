"""The PDF receipt: a real PDF with Finnish letters and the euro sign, built from a sent request's answers."""
import re
import subprocess
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from locales import using_language
from models import RequestStatus
from services.answers import answer_sections
from services.forms import REFUND_FORM
from services.receipt import build_receipt, receipt_file_name
from services.workflow import SentRequest

# The answers name the organisation by its Finnish name; the receipt looks up its Swedish or English form.
pytestmark = pytest.mark.usefixtures('database')

ANSWERS = {'first_name': 'Onni Juhani', 'last_name': 'Korhonen', 'organisation': 'Jyväskylän kaupunki',
           'email': '645516@generated.invalid', 'phone': '+358501234567', 'on_behalf': False,
           'refund_target': 'payer', 'recipient_first_name': 'Onni Juhani', 'recipient_last_name': 'Korhonen',
           'iban': 'FI4822223333444455', 'customer_number': '12345', 'refund_amount': '27,00',
           'additional_info': 'Lasku koskee kesäleiriä.\nKiitos!'}


def _request() -> SentRequest:
    return SentRequest(number=979826, form=REFUND_FORM, answers=ANSWERS, status=RequestStatus.SENT,
                       stage='Vireillepano/-tulo', sent_at=datetime(2026, 11, 30, 10, 0, tzinfo=UTC),
                       email='645516@generated.invalid', attachment_names={'attachments': ['tiliote.pdf']})


def _page_text(pdf: bytes) -> bytes:
    """The page content streams, decompressed (text is drawn glyph by glyph, so only structure is checked)."""
    streams = []
    for part in pdf.split(b'stream\n')[1:]:
        raw = part.split(b'\nendstream')[0]
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return b'\n'.join(streams)


def test_receipt_is_a_pdf_with_an_embedded_unicode_font() -> None:
    pdf = build_receipt(_request())
    assert pdf.startswith(b'%PDF-')
    assert b'DejaVu' in pdf  # the TrueType font is embedded: ä, ö and € print
    title = pdf.split(b'/Title <', 1)[1].split(b'>', 1)[0]
    assert bytes.fromhex(title.decode()).decode('utf-16') == 'Kuittaus palvelupyynnöstä 979826'
    assert len(_page_text(pdf)) > 500


def test_receipt_follows_the_language() -> None:
    finnish = build_receipt(_request())
    with using_language('sv'):
        swedish = build_receipt(_request())
    assert finnish != swedish


def _english_receipt_acting_for_another(tmp_path: Path) -> Path:
    answers = ANSWERS | {'on_behalf': True, 'represented_name': 'Aino Korhonen',
                         'represented_relation': 'huoltaja', 'refund_target': 'other'}
    request = SentRequest(number=979826, form=REFUND_FORM, answers=answers, status=RequestStatus.SENT,
                          stage='Vireillepano/-tulo', sent_at=datetime(2026, 11, 30, 10, 0, tzinfo=UTC),
                          email='645516@generated.invalid', attachment_names={'attachments': ['tiliote.pdf']})
    with using_language('en'):
        pdf = build_receipt(request)
    path = tmp_path / 'receipt-979826.pdf'
    path.write_bytes(pdf)
    return path


def test_pdfinfo_reports_the_receipt_tagged_with_its_title(tmp_path: Path) -> None:
    info = subprocess.run(['pdfinfo', str(_english_receipt_acting_for_another(tmp_path))], check=True,
                          capture_output=True, text=True).stdout
    assert re.search(r'^Tagged:\s+yes$', info, re.MULTILINE), info
    assert re.search(r'^Title:\s+Receipt for service request 979826$', info, re.MULTILINE), info


def test_receipt_structure_has_headings_and_a_paragraph_per_answer() -> None:
    pdf = build_receipt(_request())
    assert b'/StructTreeRoot' in pdf and b'/Lang (fi)' in pdf and b'/DisplayDocTitle true' in pdf
    structure = re.findall(rb'/S /(H1|H2|P)\b', pdf)
    assert structure.count(b'H1') == 1
    assert structure.count(b'H2') == len(REFUND_FORM.steps)
    assert structure.count(b'P') > 15  # every label-value pair, and the lines around them


def test_no_text_overlaps_on_the_english_receipt(tmp_path: Path) -> None:
    """Bold labels that wrap ("Act on behalf of another person") get the height they are drawn with."""
    path = _english_receipt_acting_for_another(tmp_path)
    boxes = subprocess.run(['pdftotext', '-bbox', str(path), '-'], check=True, capture_output=True,
                           text=True).stdout
    words = [(float(x0), float(y0), float(x1), float(y1), word) for x0, y0, x1, y1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', boxes)]
    assert any(word == 'behalf' for *_, word in words)
    overlapping = [(a[4], b[4]) for i, a in enumerate(words) for b in words[i + 1:]
                   if min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5]
    assert overlapping == []


def test_receipt_names_answers_as_a_receipt_not_as_form_instructions() -> None:
    rows = [row.label for section in answer_sections(REFUND_FORM, ANSWERS, {}) for row in section.rows]
    assert 'Valitse' not in rows and 'Organisaatiohaku' not in rows
    assert 'Palautuksen saajan tili' in rows and 'Organisaatio' in rows


def test_receipt_file_name_follows_the_language() -> None:
    assert receipt_file_name(979826) == 'kuittaus-979826.pdf'
    with using_language('sv'):
        assert receipt_file_name(979826) == 'kvitto-979826.pdf'
    with using_language('en'):
        assert receipt_file_name(979826) == 'receipt-979826.pdf'

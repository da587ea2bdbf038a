"""The PDF receipt: a real PDF with Finnish letters and the euro sign, built from a sent request's answers."""
import zlib
from datetime import UTC, datetime

from locales import using_language
from models import RequestStatus
from services.forms import REFUND_FORM
from services.receipt import build_receipt
from services.workflow import SentRequest

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

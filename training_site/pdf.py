"""What every PDF the site prints shares: reportlab's built-in CID font for
Simplified Chinese (STSong-Light, no font file needed on the server) and a
QR code (segno) drawn onto the page."""

import io

import segno
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

FONT = "STSong-Light"


def chinese_font() -> str:
    """The font's name, registered with reportlab on first use."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def draw_qr(pdf, url: str, x: float, y: float, size: float) -> None:
    """A QR code of `url`, `size` wide, its lower left corner at (x, y)."""
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=6, border=1)
    qr.seek(0)
    pdf.drawImage(ImageReader(qr), x, y, size, size)


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"

"""Certificate PDFs and their public verification.

The PDF uses reportlab's built-in CID font for Simplified Chinese (STSong-Light),
which needs no font file on the server; the QR code (segno) points to the
verification page, which shows the number, the name, the class and the date
and nothing else.
"""

import io

from django.urls import reverse
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from courses.models import Certificate
from training_site.pdf import chinese_date as _date
from training_site.pdf import chinese_font, draw_qr


def verification_path(certificate: Certificate) -> str:
    return reverse(
        "courses:verify_certificate", args=[certificate.number, certificate.code]
    )


def find(number: str, code: str) -> Certificate | None:
    """The certificate with this number and code, or None: never which was wrong."""
    return (
        Certificate.objects.filter(number=number, code=code)
        .select_related("class_page")
        .first()
    )


def render_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """A one-page A4 landscape certificate in Chinese, with its QR code."""
    font = chinese_font()
    class_page = certificate.class_page
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"结业证书 {certificate.number}")
    pdf.setAuthor(class_page.organiser)

    pdf.setStrokeColorRGB(0.7, 0.1, 0.1)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)

    pdf.setFillColorRGB(0.7, 0.1, 0.1)
    pdf.setFont(font, 36)
    pdf.drawCentredString(width / 2, height - 50 * mm, "结业证书")

    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font, 18)
    lines = [
        f"{certificate.holder_name} 同志：",
        f"于{_date(class_page.start_date)}至{_date(class_page.end_date)}参加",
        f"“{class_page.title}”，",
        f"完成规定学习任务，考核合格，准予结业。计{certificate.study_hours}学时。",
    ]
    y = height - 80 * mm
    for line in lines:
        pdf.drawString(40 * mm, y, line)
        y -= 14 * mm

    pdf.setFont(font, 14)
    pdf.drawRightString(width - 40 * mm, 45 * mm, class_page.organiser)
    pdf.drawRightString(width - 40 * mm, 36 * mm, _date(certificate.issued_on))
    pdf.setFont(font, 11)
    pdf.drawString(40 * mm, 30 * mm, f"证书编号：{certificate.number}")
    pdf.drawString(40 * mm, 24 * mm, "扫描二维码核验证书")

    draw_qr(pdf, verify_url, 40 * mm, 36 * mm, 28 * mm)

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.number}.pdf"

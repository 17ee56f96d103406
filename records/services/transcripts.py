"""The yearly 学时证明: a numbered PDF with a QR code to a public page that
shows the number, the name, the unit, the year and the total hours — and
nothing else (no mobile, no rank, no sources). Built like the classes'
completion certificates (`courses.services.certificates`), on the shell's
PDF helpers (`training_site.pdf`)."""

import io
import uuid

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from lectures.models import TraineeProfile
from records.models import Transcript
from records.services.ledger import YearLedger
from training_site.pdf import chinese_date, chinese_font, draw_qr


@transaction.atomic
def issue(user, year_ledger: YearLedger) -> Transcript:
    """His transcript for the ledger's year: the last one if his total is
    unchanged since, else a new number."""
    last = (
        Transcript.objects.select_for_update()
        .filter(user=user, year=year_ledger.year)
        .order_by("-pk")
        .first()
    )
    if last is not None and last.total_hours == year_ledger.total:
        return last
    profile = TraineeProfile.objects.select_related("unit_forum").filter(user=user)
    profile = profile.first()
    transcript = Transcript.objects.create(
        number="tmp-" + uuid.uuid4().hex[:16],
        user=user,
        year=year_ledger.year,
        holder_name=profile.real_name if profile else user.get_username(),
        unit_name=profile.unit_display if profile else "",
        total_hours=year_ledger.total,
    )
    transcript.number = f"XS{year_ledger.year}-{transcript.pk:06d}"
    transcript.save(update_fields=["number"])
    return transcript


def verification_path(transcript: Transcript) -> str:
    return reverse(
        "records_verify_transcript", args=[transcript.number, transcript.code]
    )


def find(number: str, code: str) -> Transcript | None:
    """The transcript with this number and code, or None: never which was wrong."""
    return Transcript.objects.filter(number=number, code=code).first()


def render_pdf(transcript: Transcript, year_ledger: YearLedger, verify_url: str):
    """One A4 page: his hours by source against his quota, the total, the
    number and the QR code."""
    font = chinese_font()
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"学时证明 {transcript.number}")

    pdf.setFont(font, 26)
    pdf.drawCentredString(width / 2, height - 40 * mm, "学时证明")
    pdf.setFont(font, 14)
    lines = [
        f"{transcript.holder_name} 同志（{transcript.unit_name}）"
        f"{transcript.year}年度参加干部教育培训情况如下：",
    ]
    y = height - 60 * mm
    for line in lines:
        pdf.drawString(25 * mm, y, line)
        y -= 12 * mm
    pdf.setFont(font, 12)
    for row in year_ledger.by_source():
        pdf.drawString(35 * mm, y, str(row.label))
        counted = f"{row.counted} 学时"
        if row.capped:
            counted += f"（获得{row.earned}，计入上限{row.cap}）"
        pdf.drawString(110 * mm, y, counted)
        y -= 9 * mm
    y -= 4 * mm
    pdf.setFont(font, 14)
    pdf.drawString(25 * mm, y, f"合计：{transcript.total_hours} 学时")
    y -= 10 * mm
    if year_ledger.quota:
        rank = f"（{year_ledger.rank_name}）" if year_ledger.rank_name else ""
        pdf.drawString(25 * mm, y, f"年度学时要求{rank}：{year_ledger.quota} 学时")
    pdf.setFont(font, 12)
    pdf.drawRightString(
        width - 25 * mm, 50 * mm, chinese_date(timezone.localdate(transcript.issued_at))
    )
    pdf.setFont(font, 10)
    pdf.drawString(25 * mm, 24 * mm, f"证明编号：{transcript.number}")
    pdf.drawString(25 * mm, 18 * mm, "扫描二维码核验")
    draw_qr(pdf, verify_url, 25 * mm, 30 * mm, 28 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def filename(transcript: Transcript) -> str:
    return f"transcript-{transcript.number}.pdf"

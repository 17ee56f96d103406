"""A cadre records a 党校 course with its certificate; his town's
administrator approves it; the hours on his page rise by it, and his
学时证明 says so at the address its QR code carries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from records.models import ExternalStatus, ExternalTraining, Transcript
from records.services.transcripts import verification_path
from tests.factories import TraineeProfileFactory

from .conftest import PASSWORD, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_a_party_school_course_is_recorded_approved_and_counted(
    chromium, live_server, network, shot, tmp_path
):
    cadre = TraineeProfileFactory(real_name="李学员", unit_forum=network["village"])
    certificate = tmp_path / "结业证书.pdf"
    certificate.write_bytes(PDF)
    day = timezone.localdate() - timedelta(days=1)

    trainee = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    page = trainee.new_page()
    login(page, cadre.user.username, PASSWORD, "/me/")
    hours = page.locator(".my-hours .figures li strong").first
    expect(hours).to_have_text("0.0")
    page.get_by_role("link", name="登记外部培训").click()
    page.select_option("select[name=kind]", "party_school")
    page.fill("input[name=title]", "中青年干部培训班")
    page.fill("input[name=organiser]", "区委党校")
    page.fill("input[name=start_date]", (day - timedelta(days=4)).isoformat())
    page.fill("input[name=end_date]", day.isoformat())
    page.fill("input[name=hours_claimed]", "24")
    page.set_input_files("input[name=evidence]", str(certificate))
    page.get_by_role("button", name="提交审批").click()
    expect(page.locator(".my-hours")).to_contain_text("等待审批")
    shot(page, "recorded")

    admin = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    admin_page = admin.new_page()
    login(
        admin_page, network["town_admin"].username, PASSWORD, "/admin/records/external/"
    )
    row = admin_page.locator("tr", has_text="中青年干部培训班")
    row.get_by_role("button", name="批准", exact=True).click()
    expect(admin_page.locator("body")).to_contain_text("已认定")
    shot(admin_page, "approved")
    assert ExternalTraining.objects.get().status == ExternalStatus.APPROVED

    page.goto("/me/")
    expect(page.locator(".my-hours .figures li strong").first).to_have_text("24.0")
    expect(page.locator(".my-hours")).to_contain_text("党校（行政学院）")

    # His 学时证明 for the year: a numbered PDF whose QR code opens a public
    # page with the number, his name, the year and the 24 hours.
    year = timezone.localdate().year
    with page.expect_download() as download:
        page.locator(f"a[href='/me/transcripts/{year}.pdf']").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    transcript = Transcript.objects.get(user=cadre.user, year=year)
    assert transcript.total_hours == 24
    visitor = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    check = visitor.new_page()
    check.goto(verification_path(transcript))
    facts = check.locator("dl.facts")
    for shown in (transcript.number, "李学员", str(year), "24.0"):
        expect(facts).to_contain_text(shown)
    expect(check.locator("body")).not_to_contain_text(cadre.mobile)
    shot(check, "verified")
    trainee.close()
    admin.close()
    visitor.close()

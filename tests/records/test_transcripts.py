"""The yearly 学时证明: a numbered PDF from /me/, and a public verification
page that shows the number, name, unit, year and total hours — nothing else."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lectures.models import Rank
from records.models import Source, Transcript
from records.services import transcripts
from tests.factories import TraineeProfileFactory
from tests.records.helpers import elsewhere

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def cadre(tree):
    profile = TraineeProfileFactory(
        real_name="李学员",
        mobile="13712345678",
        unit_forum=tree["town"],
        unit_name="",
        position="党政办副主任",
        rank=Rank.objects.get(name="乡科级副职"),
    )
    profile.user.username = "li-xueyuan"
    profile.user.save()
    return profile.user


def download(client, year=YEAR):
    return client.get(reverse("records_transcript_pdf", args=[year]))


def test_the_transcript_is_a_numbered_pdf_of_his_years_total(login, cadre):
    elsewhere(cadre, Source.PARTY_SCHOOL, "24", ended=timezone.localdate())
    client = login(cadre)
    assert (
        reverse("records_transcript_pdf", args=[YEAR])
        in client.get("/me/").content.decode()
    )
    response = download(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    transcript = Transcript.objects.get()
    assert transcript.number == f"XS{YEAR}-{transcript.pk:06d}"
    assert transcript.total_hours == Decimal("24")
    assert (transcript.holder_name, transcript.unit_name) == ("李学员", "城关镇")
    assert transcript.number in response["Content-Disposition"]


def test_the_same_total_keeps_its_number_a_new_total_gets_a_new_one(login, cadre):
    client = login(cadre)
    download(client)
    download(client)
    assert Transcript.objects.count() == 1
    elsewhere(cadre, Source.ONLINE, "6", ended=timezone.localdate())
    download(client)
    first, second = Transcript.objects.order_by("pk")
    assert (first.total_hours, second.total_hours) == (Decimal("0"), Decimal("6"))
    assert first.number != second.number


def test_a_year_ahead_or_a_login_is_needed(client, login, cadre):
    assert download(client).status_code == 302
    assert download(login(cadre), YEAR + 1).status_code == 404


def test_the_verification_page_shows_only_number_name_unit_year_and_total(
    client, cadre
):
    elsewhere(cadre, Source.PARTY_SCHOOL, "24", ended=timezone.localdate())
    from records.services.ledger import ledger

    transcript = transcripts.issue(cadre, ledger(cadre, YEAR))
    response = client.get(transcripts.verification_path(transcript))
    assert response.status_code == 200
    html = response.content.decode()
    facts = dict(
        zip(
            [dt.strip() for dt in _between(html, "<dt>", "</dt>")],
            [dd.strip() for dd in _between(html, "<dd>", "</dd>")],
            strict=True,
        )
    )
    assert facts == {
        "证明编号": transcript.number,
        "姓名": "李学员",
        "单位": "城关镇",
        "年度": str(YEAR),
        "总学时": "24.0",
    }
    for private in ("13712345678", "乡科级副职", "党政办副主任", "li-xueyuan", "党校"):
        assert private not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_a_wrong_code_shows_nothing(client, cadre):
    from records.services.ledger import ledger

    transcript = transcripts.issue(cadre, ledger(cadre, YEAR))
    url = reverse("records_verify_transcript", args=[transcript.number, "wrong"])
    response = client.get(url)
    assert response.status_code == 404
    assert "李学员" not in response.content.decode()


def _between(html: str, start: str, end: str) -> list[str]:
    parts = html.split(start)[1:]
    return [part.split(end, 1)[0] for part in parts]

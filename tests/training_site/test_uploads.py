"""Uploads in the admin are what they claim to be, and within limits."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

pytestmark = pytest.mark.django_db


def png(size=(40, 30), mode="RGB") -> bytes:
    out = io.BytesIO()
    PILImage.new(mode, size).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def uploader(client, district_admin):
    client.force_login(district_admin)
    collection = Collection.get_first_root_node().pk

    def upload(kind: str, name: str, content: bytes):
        response = client.post(
            f"/admin/{kind}/add/",
            {
                "title": name,
                "collection": collection,
                "file": SimpleUploadedFile(name, content),
            },
        )
        assert response.status_code in (200, 302)
        return response

    return upload


IMAGES = [
    ("photo.png", png(), True),
    ("photo.jpg", png(), False),  # a PNG calling itself a JPEG
    ("photo.png", b"<html><script>alert(1)</script></html>", False),
    ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', False),
    ("photo.exe", png(), False),
    ("huge.png", png() + b"\0" * (10 * 1024 * 1024), False),  # over 10 MB
    ("vast.png", png((8000, 6000), mode="1"), False),  # 48 million pixels
]


@pytest.mark.parametrize(
    ("name", "content", "accepted"), IMAGES, ids=[f"{n}-{a}" for n, _c, a in IMAGES]
)
def test_only_real_images_within_limits_are_accepted(uploader, name, content, accepted):
    response = uploader("images", name, content)
    assert get_image_model().objects.filter(title=name).exists() is accepted
    if not accepted:
        assert response.status_code == 200  # the form again, with its error


ZIP = b"PK\x03\x04" + b"\0" * 100
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
DOCUMENTS = [
    ("slides.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", True),
    ("notes.docx", ZIP, True),
    ("sheet.xlsx", ZIP, True),
    ("old.doc", OLE, True),
    ("readme.txt", "学习提纲：第一部分".encode(), True),
    ("readme.txt", "学习提纲".encode("gb18030"), True),
    ("page.pdf", b"<html><body>not a pdf</body></html>", False),
    ("tool.docx", b"MZ\x90\x00\x03\x00\x00\x00", False),  # a Windows program
    ("binary.txt", b"\x00\x01\x02\x03\xff\xfe", False),
    ("setup.exe", b"MZ\x90\x00", False),
    ("page.html", b"<html></html>", False),
]


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    DOCUMENTS,
    ids=[f"{n}-{a}" for n, _c, a in DOCUMENTS],
)
def test_only_documents_of_allowed_types_are_accepted(
    uploader, name, content, accepted
):
    response = uploader("documents", name, content)
    assert get_document_model().objects.filter(title=name).exists() is accepted
    if not accepted:
        assert response.status_code == 200

"""A trainee's certificate as PDF, and the public page its QR code opens."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse

from courses.models import Certificate
from courses.rules import may_download
from courses.services import certificates as service


@login_required
def download(request, number: str):
    certificate = (
        Certificate.objects.filter(number=number).select_related("class_page").first()
    )
    if certificate is None or not may_download(request.user, certificate):
        raise Http404
    verify_url = request.build_absolute_uri(service.verification_path(certificate))
    response = HttpResponse(
        service.render_pdf(certificate, verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{service.filename(certificate)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def verify(request, number: str, code: str):
    certificate = service.find(number[:20], code[:24])
    response = TemplateResponse(
        request, "courses/verify_certificate.html", {"certificate": certificate}
    )
    if certificate is None:
        response.status_code = 404
    response["X-Robots-Tag"] = "noindex"
    return response

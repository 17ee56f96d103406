from django.urls import path

from courses.views import certificates

app_name = "courses"

urlpatterns = [
    path(
        "certificates/<str:number>/<str:code>/",
        certificates.verify,
        name="verify_certificate",
    ),
    path(
        "me/certificates/<str:number>.pdf",
        certificates.download,
        name="certificate_pdf",
    ),
]

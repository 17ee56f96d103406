from django.urls import path

from records import views

urlpatterns = [
    path("me/training/", views.record_training, name="records_record_training"),
    path(
        "me/transcripts/<int:year>.pdf",
        views.transcript_pdf,
        name="records_transcript_pdf",
    ),
    path(
        "transcripts/<str:number>/<str:code>/",
        views.verify_transcript,
        name="records_verify_transcript",
    ),
]

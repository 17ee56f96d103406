from django.urls import path

from records import views

urlpatterns = [
    path("me/training/", views.record_training, name="records_record_training"),
]

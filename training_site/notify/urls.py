from django.urls import path

from training_site.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.messages_page, name="inbox"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
]

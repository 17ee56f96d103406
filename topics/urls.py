from django.urls import path

from topics.views import public

app_name = "topics"

urlpatterns = [
    path("topics/", public.topic_list, name="topic_list"),
    path("topics/<str:slug>/", public.topic_detail, name="topic_detail"),
    path("topics/<str:slug>/support/", public.toggle_support, name="support"),
]

from django.urls import path, re_path

from lectures.views import calendars, lecturers, schedule

app_name = "lectures"

urlpatterns = [
    path("schedule/", schedule.schedule, name="schedule"),
    path("schedule.ics", calendars.schedule_ics, name="schedule_ics"),
    path("lecturers/", lecturers.lecturer_list, name="lecturer_list"),
    path("lecturers/<int:pk>/", lecturers.lecturer_detail, name="lecturer_detail"),
    re_path(
        r"^(?P<page_path>(?:[\w\-]+/)+)(?P<kind>feed|event)\.ics$",
        calendars.page_calendar,
        name="page_calendar",
    ),
]

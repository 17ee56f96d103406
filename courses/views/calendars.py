"""`<class page URL>feed.ics`: every lesson of the class."""

from courses.services.lessons import lessons_of
from lectures.events import session_calendar
from training_site.ical import calendar_response
from training_site.page_cache import public_page


@public_page
def class_feed(request, class_page):
    lessons = lessons_of(class_page).for_listing()
    body = session_calendar(lessons, class_page.title, request)
    return calendar_response(body, f"class-{class_page.pk}.ics")

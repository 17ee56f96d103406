"""What the classes' public pages show: `/classes/` and one class.

Registered for their page types (`training_site.page_context`) and called by
the pages' `get_context`; loaded by `CoursesConfig.ready`.
"""

from courses.models import ClassPage, TrainingIndexPage
from courses.views.class_page import class_page_context
from courses.views.listing import class_listing_context
from training_site.page_context import context_for


@context_for(TrainingIndexPage)
def index_page_context(page, request) -> dict:
    return class_listing_context(request)


context_for(ClassPage)(class_page_context)

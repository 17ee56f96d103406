"""Finding the page for a URL in two queries instead of two per tree level.

Wagtail's `Page.route` walks down one level at a time (the child by slug,
then its specific page), so a village forum's session costs ten queries
before its view runs. The network is deep and every public page and every
check-in goes through here, so the site root looks up all levels at once:
one query for the candidate pages (slugs are indexed), then the deepest
page's specific object, which routes what is left of the path (a session's
`checkin/`, say) as Wagtail would. Pages that route their children
themselves are handed the rest of the path, so nothing is skipped.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Page


class OneQueryRoutingMixin:
    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        wanted = Q()
        for level, slug in enumerate(path_components, start=1):
            wanted |= Q(depth=self.depth + level, slug=slug)
        candidates = Page.objects.filter(wanted, path__startswith=self.path).only(
            "path", "depth", "slug", "content_type"
        )
        by_place = {(p.depth, p.slug, p.path[: -Page.steplen]): p for p in candidates}
        deepest, used = None, 0
        parent_path = self.path
        for level, slug in enumerate(path_components, start=1):
            page = by_place.get((self.depth + level, slug, parent_path))
            if page is None:
                break
            deepest, used, parent_path = page, level, page.path
            if not _routes_like_a_page(page):
                break  # it routes its own children: hand it the rest
        if deepest is None:
            return super().route(request, path_components)
        return deepest.specific.route(request, path_components[used:])


def _routes_like_a_page(page: Page) -> bool:
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    return model is not None and model.route is Page.route

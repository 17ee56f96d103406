"""A subtree selected by a path range is exactly the pages below the path."""

import pytest
from wagtail.models import Page

from lectures.models.tree import below, next_path


@pytest.mark.parametrize(
    ("path", "upper"),
    [
        ("0001", "0002"),
        ("00010009", "0001000A"),
        ("0001000Z", "0001001"),
        ("000ZZ", "001"),
        ("ZZZZ", None),
    ],
)
def test_next_path(path, upper):
    assert next_path(path) == upper


@pytest.mark.django_db
def test_below_selects_the_same_pages_as_startswith():
    root = Page.objects.get(depth=1)
    home = root.get_children().first()
    for _ in range(3):
        child = home.add_child(
            instance=Page(title="c", slug=f"c{Page.objects.count()}")
        )
        child.add_child(instance=Page(title="g", slug=f"g{Page.objects.count()}"))
    for page in Page.objects.all():
        by_range = set(
            Page.objects.filter(below(page.path)).values_list("pk", flat=True)
        )
        by_prefix = set(
            Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
        )
        assert by_range == by_prefix

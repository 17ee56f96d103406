"""A subtree selected by a path range is exactly the pages below the path."""

import pytest
from wagtail.models import Page

from lectures.models.tree import below, below_any, next_path


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


def grow_tree(children: int) -> None:
    """Children under the home page, each with a child of its own."""
    home = Page.objects.get(depth=1).get_children().first()
    for _ in range(children):
        child = home.add_child(
            instance=Page(title="c", slug=f"c{Page.objects.count()}")
        )
        child.add_child(instance=Page(title="g", slug=f"g{Page.objects.count()}"))


@pytest.mark.django_db
def test_below_selects_the_same_pages_as_startswith():
    grow_tree(3)
    for page in Page.objects.all():
        by_range = set(
            Page.objects.filter(below(page.path)).values_list("pk", flat=True)
        )
        by_prefix = set(
            Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True)
        )
        assert by_range == by_prefix


@pytest.mark.parametrize(
    ("paths", "ranges"),
    [
        ([], 0),
        (["00010001"], 1),
        (["00010001", "000100010002"], 1),  # nested
        (["000100010001", "000100010002"], 1),  # adjacent
        (["000100010001", "000100010003"], 2),  # apart
        (["ZZZZ", "ZZZZ0001"], 1),  # to the end of the tree
    ],
)
def test_below_any_covers_its_paths_in_as_few_ranges(paths, ranges):
    query = below_any(paths)
    assert sum(1 for child in query.children if child != ("pk__in", [])) == ranges


@pytest.mark.django_db
def test_below_any_selects_the_union_of_the_subtrees():
    grow_tree(4)
    paths = sorted(Page.objects.values_list("path", flat=True))
    for chosen in ([], paths[2:4], paths[2:3] + paths[5:], paths[:1], paths[3::2]):
        union = set()
        for path in chosen:
            union |= set(Page.objects.filter(below(path)).values_list("pk", flat=True))
        found = Page.objects.filter(below_any(chosen)).values_list("pk", flat=True)
        assert set(found) == union

"""Selecting a subtree of pages by its materialised path.

`path__startswith` is a `LIKE 'path%'`, which neither SQLite (its LIKE is
case-insensitive, so the path index cannot serve it) nor PostgreSQL (unless
the column uses a C collation) can answer from the index: every such filter
read every page. The same subtree as a range — from the path up to the next
path of the same length — is an index search on both.
"""

from django.db.models import Q
from wagtail.models import Page

ALPHABET = Page.alphabet


def next_path(path: str) -> str | None:
    """The first path after every path that starts with `path` (None: none)."""
    digits = path.rstrip(ALPHABET[-1])
    if not digits:
        return None
    last = digits[-1]
    return digits[:-1] + ALPHABET[ALPHABET.index(last) + 1]


def below(path: str, field: str = "path") -> Q:
    """Rows whose `field` (a page path) is `path` or below it."""
    upper = next_path(path)
    query = Q(**{f"{field}__gte": path})
    return query if upper is None else query & Q(**{f"{field}__lt": upper})

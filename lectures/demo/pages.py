"""Adding many pages at once, leaving the tree as `add_child` would.

`add_child` costs about forty queries a page (a row lock on the parent, a
slug check, the save of every table of the page's model, the search index,
the reference index, signals). The demo at 100× adds 66,000 pages, so here
the treebeard paths are computed by hand, every table of each page's model is
inserted in bulk, and then what save() and the post_save receivers would
have done is done in bulk too: the creation log entry, the search index, the
reference index, and the forum groups (`provision_groups`). The result is
what `add_child` makes, and `fixtree` finds nothing to mend (tested in
tests/lectures/test_demo_bulk.py).

Only fresh pages without revisions (`live` as given) are supported: that is
what `add_child` makes, and what the demo needs.
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.index import class_is_indexed

from lectures.models import ForumPage
from lectures.services.groups import provision_groups


class PageBatch:
    """Collects new pages under their parents; `flush()` writes them."""

    def __init__(self):
        self.pending: list[Page] = []
        # Keyed by path: unique, and known for pending pages too.
        self._next_step: dict[str, int] = {}
        self._parents: dict[str, Page] = {}

    def add(self, parent: Page, page: Page) -> Page:
        """Place `page` as the last child of `parent` (saved or pending)."""
        step = self._next_step.get(parent.path)
        if step is None:
            last = parent.get_last_child() if parent.numchild else None
            step = 1 if last is None else Page._str2int(last.path[-Page.steplen :]) + 1
        self._next_step[parent.path] = step + 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, step)
        page.url_path = parent.url_path + page.slug + "/"
        page.draft_title = page.draft_title or page.title
        page.locale_id = parent.locale_id
        page.numchild = 0
        parent.numchild += 1
        self._parents[parent.path] = parent
        self.pending.append(page)
        return page

    def flush(self) -> list[Page]:
        """Write the pending pages; parents must already be saved."""
        pages, self.pending = self.pending, []
        if not pages:
            return pages
        by_model: dict[type, list[Page]] = defaultdict(list)
        for page in pages:
            by_model[type(page)].append(page)
        references = {model: _references(objs) for model, objs in by_model.items()}
        Page.objects.bulk_create(pages, batch_size=500)
        for model, objs in by_model.items():
            _insert_descendant_tables(model, objs)
            _insert_parental_m2m(model, objs)
            _index_for_search(model, objs)
            _index_references(model, objs, references[model])
        _log_creation(pages)
        parents = [p for p in self._parents.values() if p.pk is not None]
        Page.objects.bulk_update(parents, ["numchild"], batch_size=500)
        self._parents = {path: p for path, p in self._parents.items() if p.pk is None}
        forums = [page for page in pages if isinstance(page, ForumPage)]
        if forums:
            provision_groups(forums)
        return pages


def _batches(model, fields, objs: list) -> Iterable[list]:
    size = max(1, connection.ops.bulk_batch_size(fields, objs) or len(objs))
    for start in range(0, len(objs), size):
        yield objs[start : start + size]


def _insert_descendant_tables(model, objs: list) -> None:
    """The tables below `Page` in the model's chain (e.g. forum, then unit forum)."""
    chain = [*reversed(model._meta.get_parent_list()), model]
    for parent, child in itertools.pairwise(chain):
        link = child._meta.parents[parent]
        for obj in objs:
            setattr(obj, link.attname, obj.id)
        fields = child._meta.local_concrete_fields
        for batch in _batches(child, fields, objs):
            child._base_manager._insert(batch, fields=fields, using=connection.alias)


def _insert_parental_m2m(model, objs: list) -> None:
    """modelcluster keeps ParentalManyToMany values in memory until save()."""
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        rows = []
        for obj in objs:
            pending = getattr(obj, "_cluster_related_objects", {})
            for related in pending.pop(field.name, ()):
                rows.append(
                    through(**{f"{source}_id": obj.pk, f"{target}_id": related.pk})
                )
        through.objects.bulk_create(rows, batch_size=2000)


def _log_creation(pages: list[Page]) -> None:
    """The "wagtail.create" entry Page.save() logs for a new page."""
    now = timezone.now()
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                content_type_id=page.content_type_id,
                label=PageLogEntry.objects.get_instance_title(page),
                action="wagtail.create",
                timestamp=now,
                data={},
                content_changed=True,
                page_id=page.pk,
                user=page.owner,
            )
            for page in pages
        ],
        batch_size=2000,
    )


def _index_for_search(model, objs: list) -> None:
    if not class_is_indexed(model):
        return
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, objs)


def _references(objs: list) -> list[list[tuple]]:
    """Outbound references of each object, found before it is saved.

    Wagtail's own extraction, so the rows are what `save()` would write;
    unsaved, a ClusterableModel's child relations are read from memory, not
    queried once per object (fresh objects have none).
    """
    if not objs or not ReferenceIndex.is_indexed(type(objs[0])):
        return []
    return [set(ReferenceIndex._extract_references_from_object(obj)) for obj in objs]


def _index_references(model, objs: list, references: list) -> None:
    """What `update_reference_index_on_save` records, for many objects at once."""
    if not references:
        return
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    base = ([model, *model._meta.get_parent_list()])[-1]
    base_content_type = ContentType.objects.get_for_model(
        base, for_concrete_model=False
    )
    rows = [
        ReferenceIndex(
            content_type=content_type,
            base_content_type=base_content_type,
            object_id=obj.pk,
            to_content_type_id=to_content_type_id,
            to_object_id=to_object_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
        )
        for obj, found in zip(objs, references, strict=True)
        for to_content_type_id, to_object_id, model_path, content_path in found
    ]
    ReferenceIndex.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def bulk_add_objects(model: type[models.Model], objs: list) -> list:
    """Non-page objects with ParentalManyToMany fields (lecturers), indexed."""
    references = _references(objs)
    model.objects.bulk_create(objs, batch_size=2000)
    _insert_parental_m2m(model, objs)
    _index_for_search(model, objs)
    _index_references(model, objs, references)
    return objs

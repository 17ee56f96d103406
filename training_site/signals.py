"""Forget cached public pages when what they show changes (page_cache.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from training_site.page_cache import (
    SCOPED_ATTR,
    invalidate_page_scopes,
    invalidate_public_pages,
)
from training_site.site_cache import CachedSiteSetting


def page_changed_at(page: Page, *url_paths: str) -> None:
    """A page at these tree URL paths (Wagtail's `url_path`, from the tree's
    root) changed. A session shows only on its own page, its ancestors'
    pages and feeds and the network-wide lists: only those scopes go. Any
    other page (a forum's title is on every page below it and in the
    schedule's picker) forgets everything."""
    if not getattr(page.specific_class, SCOPED_ATTR, False):
        invalidate_public_pages()
        return
    relative = [path for url_path in url_paths for path in _on_sites(url_path)]
    if relative:
        invalidate_page_scopes(*relative)
    else:  # under no site's root: nothing public can show it, but be safe
        invalidate_public_pages()


def _on_sites(url_path: str) -> list[str]:
    # Relative to the root of every site it is under (as its URLs are).
    return [
        "/" + url_path[len(root.root_path) :]
        for root in Site.get_site_root_paths()
        if url_path.startswith(root.root_path)
    ]


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    page_changed_at(instance, instance.url_path)


@receiver(post_page_move)
def page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    page_changed_at(instance, url_path_before, url_path_after)


@receiver(page_slug_changed)
def page_renamed(sender, instance, instance_before, **kwargs):
    page_changed_at(instance, instance_before.url_path, instance.url_path)


@receiver(post_save)
def live_page_saved(sender, instance, raw=False, **kwargs):
    # Also pages changed in code without a revision (a status set by a
    # service, a copy published at once); drafts change nothing public.
    if not raw and isinstance(instance, Page) and instance.live:
        page_changed_at(instance, instance.url_path)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        page_changed_at(instance, instance.url_path)
    elif isinstance(instance, Site):
        invalidate_public_pages()


@receiver(post_save, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def site_or_privacy_changed(sender, instance, **kwargs):
    # A page made private must not stay in the public cache; the site and
    # "does any page have a restriction" are cached under the generation too.
    invalidate_public_pages()


@receiver(post_save)
@receiver(post_delete)
def cached_setting_changed(sender, instance, raw=False, created=False, **kwargs):
    # Site settings are kept under the generation too (site_cache.py). A row
    # created holds the defaults every page was rendered with when it was
    # missing (Wagtail creates it on first reading, and its settings form
    # saves over it afterwards): nothing shown changes until then.
    if not raw and not created and isinstance(instance, CachedSiteSetting):
        invalidate_public_pages()

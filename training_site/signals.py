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

from training_site.page_cache import invalidate_public_pages
from training_site.site_cache import CachedSiteSetting


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def page_changed(sender, instance=None, **kwargs):
    invalidate_public_pages()


@receiver(post_save)
def live_page_saved(sender, instance, raw=False, **kwargs):
    # Also pages changed in code without a revision (a status set by a
    # service, a copy published at once); drafts change nothing public.
    if not raw and isinstance(instance, Page) and instance.live:
        invalidate_public_pages()


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page | Site):
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
def cached_setting_changed(sender, instance, raw=False, **kwargs):
    # Site settings are kept under the generation too (site_cache.py).
    if not raw and isinstance(instance, CachedSiteSetting):
        invalidate_public_pages()

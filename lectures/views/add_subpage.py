"""Wagtail's "add a child page" chooser, offering only what the user may draft.

Wagtail lists every page type the tree allows below the parent
(`can_create_at` knows no user), and `before_create_page` then refused a
lecturer who picked a forum or a class. This list asks the same rule,
`can_create_page`: a lecturer is offered sessions only and, offered one
type, goes straight to its form as Wagtail does.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView
from wagtail.admin.views.pages.create import AddSubpageView
from wagtail.models import Page

from lectures.rules import can_create_page


class RoleAddSubpageView(AddSubpageView):
    def dispatch(self, request, parent_page_id, *args, **kwargs):
        parent = self.parent_page = get_object_or_404(Page, id=parent_page_id).specific
        if not parent.permissions_for_user(request.user).can_add_subpage():
            raise PermissionDenied
        models = [
            model
            for model in type(parent).creatable_subpage_models()
            if model.can_create_at(parent)
            and can_create_page(request.user, parent, model)
        ]
        if not models:
            raise PermissionDenied
        if len(models) == 1:
            meta = models[0]._meta
            return redirect(
                "wagtailadmin_pages:add", meta.app_label, meta.model_name, parent.pk
            )
        self.page_types = sorted(
            (
                (
                    model.get_verbose_name(),
                    model._meta.app_label,
                    model._meta.model_name,
                    model.get_page_description(),
                )
                for model in models
            ),
            key=lambda page_type: page_type[0].lower(),
        )
        return TemplateView.dispatch(self, request, parent_page_id, *args, **kwargs)

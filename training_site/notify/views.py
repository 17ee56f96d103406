"""The inbox at /me/messages/, its actions (POST), and the header's count."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training_site.notify import inbox


def unread(request) -> dict:
    """Context processor: `unread_count`, asked only if a template uses it.

    The header asks only for a logged-in visitor, whose pages are never
    cached; anonymous pages, the cached ones, never ask.
    """

    def count():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return inbox.unread_count(user)

    return {"unread_count": SimpleLazyObject(count)}


@login_required
def messages_page(request):
    page, unread_count = inbox.page(request.user, request.GET.get("page"))
    return render(
        request,
        "notify/inbox.html",
        {
            "page_obj": page,
            "notices": page.object_list,
            "unread_total": unread_count,
            "preference": inbox.preference(request.user),
        },
    )


def _back(request, default: str = "notify:inbox"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(default)


@login_required
@require_POST
def mark_read(request, pk: int):
    notice = inbox.mark_read(request.user, pk)
    if (
        notice is not None
        and request.POST.get("open")
        and notice.link
        and url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None)
    ):
        return HttpResponseRedirect(notice.link)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    count = inbox.mark_all_read(request.user)
    messages.success(request, _("%(n)d message(s) marked read.") % {"n": count})
    return _back(request)


@login_required
@require_POST
def preferences(request):
    inbox.set_preference(
        request.user,
        sms=bool(request.POST.get("sms")),
        email=bool(request.POST.get("email")),
    )
    messages.success(request, _("Your notification settings are saved."))
    return _back(request, "lectures:me")

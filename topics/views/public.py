"""The public menu: `/topics/` and `/topics/<slug>/`, and 我也想听."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lectures.services import evaluation_results as results
from topics.filters import TopicFilter
from topics.models import Topic
from topics.rules import forums_to_order, may_support
from topics.services import catalogue, support
from topics.services.errors import SupportError
from training_site.page_cache import public_page

PER_PAGE = 20


@public_page
def topic_list(request):
    topics = catalogue.with_counts(Topic.objects.on_menu().for_listing())
    filterset = TopicFilter(request.GET, queryset=topics)
    page = Paginator(filterset.qs.order_by("title", "pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "topics/topic_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "topics": page.object_list,
            "query": query.urlencode(),
        },
    )


@public_page
def topic_detail(request, slug: str):
    topic = get_object_or_404(
        Topic.objects.on_menu().select_related("field", "category", "offered_to"),
        slug=slug,
    )
    held = catalogue.held_sessions(topic)
    page = Paginator(
        results.with_figures(held.select_related("field", "category")).order_by(
            "-start", "pk"
        ),
        20,
    ).get_page(request.GET.get("page"))
    user = request.user
    context = {
        "topic": topic,
        "lecturers": list(topic.lecturers.select_related("photo")),
        "page_obj": page,
        "sessions": page.object_list,
        "rating": catalogue.rating(topic),
        "min_responses": results.MIN_RESPONSES,
    }
    if user.is_authenticated:
        context["may_support"] = may_support(user)
        context["supports"] = support.supports(topic, user)
        context["may_order"] = forums_to_order(user, topic).exists()
    return render(request, "topics/topic_detail.html", context)


@require_POST
def toggle_support(request, slug: str):
    topic = get_object_or_404(Topic.objects.on_menu(), slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(topic.get_absolute_url())
    if request.POST.get("withdraw"):
        support.withdraw(topic, request.user)
        messages.success(request, _("You no longer ask for this topic."))
    else:
        try:
            support.support(topic, request.user)
        except SupportError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your forum's administrators will see that you asked.")
            )
    return redirect(topic.get_absolute_url())

"""The admin pages of lectures on demand: the menu and the orders.

Thin views: a form parses, a service decides, a message says what happened;
each action on a topic or an order is a view of its own (`form_action`).
What each person may do is read from `topics.rules` and handed to the
templates as flags.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from lectures.rules import administered_paths
from topics.models import OrderStatus, Topic, TopicOrder, TopicStatus
from topics.models.orders import OPEN
from topics.rules import (
    dispatchable_lecturers,
    forums_to_order,
    lecturer_of,
    may_accept,
    may_close,
    may_edit_topic,
    may_propose_topic,
    orderable_forums,
    orders_in_admin,
    own_topics,
    topics_in_admin,
    topics_reviewed_by,
)
from topics.services import menu, orders, support
from topics.services.errors import ServiceError
from topics.views.forms import (
    AcceptForm,
    DispatchForm,
    NoteForm,
    OrderForm,
    ReasonForm,
    TopicForm,
)
from training_site.actions import form_action

PER_PAGE = 50


# The menu ----------------------------------------------------------------------


def topic_list(request):
    user = request.user
    if not (may_propose_topic(user) or administered_paths(user) or user.is_superuser):
        raise PermissionDenied
    topics = (
        topics_in_admin(user)
        .select_related("field", "category")
        .prefetch_related("lecturers")
        .annotate(order_count=Count("orders"))
        .order_by("status", "title", "pk")
    )
    page = Paginator(topics, PER_PAGE).get_page(request.GET.get("page"))
    shown = [topic.pk for topic in page.object_list]
    reviewed = set(
        topics_reviewed_by(user).filter(pk__in=shown).values_list("pk", flat=True)
    )
    mine = set(own_topics(user).filter(pk__in=shown).values_list("pk", flat=True))
    rows = [
        {
            "topic": topic,
            "may_review": topic.status == TopicStatus.PROPOSED and topic.pk in reviewed,
            "may_edit": topic.pk in reviewed or topic.pk in mine,
        }
        for topic in page.object_list
    ]
    return TemplateResponse(
        request,
        "topics/admin/topic_list.html",
        {
            "rows": rows,
            "page_obj": page,
            "may_propose": may_propose_topic(user),
        },
    )


def topic_edit(request, pk: int | None = None):
    user = request.user
    topic = None
    if pk is not None:
        topic = get_object_or_404(Topic, pk=pk)
        if not may_edit_topic(user, topic):
            raise PermissionDenied
    elif not may_propose_topic(user):
        raise PermissionDenied
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            saved = menu.propose(form.save(commit=False), user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("“%(title)s” is sent for approval.") % {"title": saved.title},
            )
            return redirect("topics_admin_topics")
    return TemplateResponse(
        request, "topics/admin/topic_form.html", {"form": form, "topic": topic}
    )


def _topic_for(request, pk: int) -> Topic:
    # Who may review or offer it is the service's to decide (`topics.rules`).
    return get_object_or_404(Topic, pk=pk)


def _topic_action(form_class):
    """An action on a topic in the admin's menu (`form_action`); back to it."""
    return form_action(
        form_class,
        load=_topic_for,
        back=lambda topic: reverse("topics_admin_topics"),
        refusals=(ServiceError,),
    )


@_topic_action(NoteForm)
def topic_approve(request, topic, data):
    menu.review(topic.pk, request.user, approve=True, note=data["note"])
    messages.success(request, _("Topic reviewed."))


@_topic_action(NoteForm)
def topic_return(request, topic, data):
    menu.review(topic.pk, request.user, approve=False, note=data["note"])
    messages.success(request, _("Topic reviewed."))


@_topic_action(forms.Form)
def topic_offer(request, topic, data):
    menu.set_offered(topic.pk, request.user, True)
    messages.success(request, _("Topic updated."))


@_topic_action(forms.Form)
def topic_withdraw(request, topic, data):
    menu.set_offered(topic.pk, request.user, False)
    messages.success(request, _("Topic updated."))


# Orders ------------------------------------------------------------------------


def order_list(request):
    user = request.user
    forums = orderable_forums(user)
    if not (lecturer_of(user) or forums.exists()):
        raise PermissionDenied
    status = request.GET.get("status", "")
    listed = orders_in_admin(user).for_listing().prefetch_related("topic__lecturers")
    if status in OrderStatus.values:
        listed = listed.filter(status=status)
    page = Paginator(listed.order_by("-ordered_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    paths = None if user.is_superuser else administered_paths(user)
    return TemplateResponse(
        request,
        "topics/admin/order_list.html",
        {
            "page_obj": page,
            "orders": page.object_list,
            "statuses": OrderStatus.choices,
            "status": status,
            "wanted": support.support_counts(paths, limit=20) if paths != [] else [],
        },
    )


def _order_for(request, pk: int) -> TopicOrder:
    order = get_object_or_404(
        TopicOrder.objects.for_listing().select_related("ordered_by"), pk=pk
    )
    if not orders_in_admin(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return order


def order_detail(request, pk: int):
    user = request.user
    order = _order_for(request, pk)
    status = order.status
    lecturers = (
        dispatchable_lecturers(user, order) if status == OrderStatus.ORDERED else []
    )
    context = {
        "order": order,
        "lecturers": lecturers,
        "may_dispatch": bool(lecturers),
        "may_accept": status == OrderStatus.DISPATCHED and may_accept(user, order),
        "may_cancel": status in OPEN and may_close(user, order),
        "may_fulfil": status == OrderStatus.ACCEPTED and may_close(user, order),
        "accept_form": AcceptForm(initial={"venue": order.forum.address}),
    }
    return TemplateResponse(request, "topics/admin/order_detail.html", context)


def _order_action(form_class):
    """An action on an order (`form_action`); back to the order's page."""
    return form_action(
        form_class,
        load=_order_for,
        back=lambda order: reverse("topics_admin_order", args=[order.pk]),
        refusals=(ServiceError,),
    )


@_order_action(DispatchForm)
def order_dispatch(request, order, data):
    lecturer = data["lecturer"]
    orders.dispatch(order.pk, request.user, lecturer)
    messages.success(
        request, _("Order dispatched to %(name)s.") % {"name": lecturer.name}
    )


@_order_action(ReasonForm)
def order_decline(request, order, data):
    orders.decline(order.pk, request.user, data["reason"])
    messages.success(request, _("Order declined; the ordering forum is told."))


@_order_action(AcceptForm)
def order_accept(request, order, data):
    done = orders.accept(
        order.pk, request.user, start=data["start"], venue=data["venue"]
    )
    messages.success(
        request,
        _(
            "Accepted: the session “%(title)s” is drafted in %(forum)s "
            "and waits for approval."
        )
        % {"title": done.session.title, "forum": order.forum.title},
    )


@_order_action(ReasonForm)
def order_refuse(request, order, data):
    orders.refuse(order.pk, request.user, data["reason"])
    messages.success(request, _("You declined the order; it goes back to dispatch."))


@_order_action(ReasonForm)
def order_cancel(request, order, data):
    orders.cancel(order.pk, request.user, data["reason"])
    messages.success(request, _("Order cancelled."))


@_order_action(forms.Form)
def order_fulfil(request, order, data):
    orders.fulfil(order.pk, request.user)
    messages.success(request, _("Order marked fulfilled."))


def order_place(request, topic_pk: int):
    user = request.user
    topic = get_object_or_404(Topic.objects.on_menu(), pk=topic_pk)
    queryset = forums_to_order(user, topic)
    if not queryset.exists():
        raise PermissionDenied
    form = OrderForm(request.POST or None, forums=queryset)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = orders.place(
                topic,
                data["forum"],
                user,
                preferred_from=data["preferred_from"],
                preferred_to=data["preferred_to"],
                audience_size=data["audience_size"],
                note=data["note"],
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Ordered; the lecturer's forum will dispatch it.")
            )
            return redirect("topics_admin_order", pk=order.pk)
    return TemplateResponse(
        request, "topics/admin/order_form.html", {"form": form, "topic": topic}
    )

"""Who may do what in the forum network: every permission predicate of
`lectures`, in one place.

Grants are Wagtail group page permissions at forum nodes (provisioned by
`lectures.services.groups`): a forum's administrators hold its page, and so
everything below it; its lecturers may draft sessions there. Views, services,
admin hooks and models ask here; templates read the answers as flags from
their context.
"""

from django.db.models import Q, QuerySet
from wagtail.models import GroupPagePermission, Page

# The submodules, not the package: the approval task (lectures.models.workflow)
# asks these rules while the package is still being imported.
from lectures.models.forums import ForumPage
from lectures.models.sessions import SessionPage
from lectures.models.tree import ancestor_paths, below, below_any


def administered_forums(user):
    """Forums the user administers directly (his groups); empty for anonymous."""
    if not user.is_authenticated:
        return ForumPage.objects.none()
    return ForumPage.objects.administered_by(user)


def administered_paths(user) -> list[str]:
    """Tree paths of the subtrees the user administers, in one query.

    Administering a subtree means one of his groups may publish its top page:
    a forum's administrators hold their forum; the district's also hold the
    training index (`/classes/`), which is not below any forum.
    """
    if not user.is_authenticated:
        return []
    return list(
        GroupPagePermission.objects.filter(
            group__user=user, permission__codename="publish_page"
        )
        .values_list("page__path", flat=True)
        .distinct()
    )


def gives_lectures_only(user) -> bool:
    """A lecturer who administers nothing: his admin home is his own sessions."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return hasattr(user, "lecturer") and not administered_paths(user)


def _below_any(paths, *, strict: bool) -> Q:
    """A Q over pages below any of the given paths (strictly, or including them)."""
    query = Q(pk__in=[])
    for forum_path in paths:
        clause = below(forum_path)
        if strict:
            clause &= ~Q(path=forum_path)
        query |= clause
    return query


def pages_user_can_approve(user):
    """Pages the user may approve: anything strictly below a forum he administers."""
    if user.is_superuser:
        return Page.objects.all()
    return Page.objects.filter(_below_any(administered_paths(user), strict=True))


def can_approve(user, page: Page) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(
        page.path.startswith(path) and page.path != path
        for path in administered_paths(user)
    )


def can_administer(user, page: Page) -> bool:
    """Whether the user administers this page's forum or one above it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(page.path.startswith(path) for path in administered_paths(user))


def can_create_page(user, parent: Page, page_class) -> bool:
    """Narrow Wagtail's 'add' grant to what each role is meant to draft.

    Administrators of the parent (or above) may add anything the tree allows;
    an administrator of a forum may propose a sibling forum; a lecturer
    attached to the parent forum may draft sessions there and nothing else.
    """
    if can_administer(user, parent):
        return True
    if issubclass(page_class, ForumPage):
        return administered_forums(user).child_of(parent).exists()
    if issubclass(page_class, SessionPage):
        return ForumPage.objects.filter(
            pk=parent.pk, lecturer_group__user=user
        ).exists()
    return False


def admin_visible_pages_filter(user) -> Q | None:
    """Which pages the admin's explorer and chooser list for this user.

    Wagtail shows every page below an 'add' grant, so an administrator who may
    propose a sibling forum (add on the parent) or a lecturer (add on his
    forum) would see other people's drafts. This narrows listings to: his own
    subtrees, the way down to them, the pages he drafted himself, and live
    pages where he lectures. `None` means no narrowing (superusers).
    """
    if user.is_superuser:
        return None
    administered = administered_paths(user)
    lecturing = list(
        ForumPage.objects.filter(lecturer_group__user=user).values_list(
            "path", flat=True
        )
    )
    query = Q(owner=user) | below_any(administered)
    for path in lecturing:
        query |= below(path) & Q(live=True)
    ancestors = {a for path in administered + lecturing for a in ancestor_paths(path)}
    ancestors |= set(administered + lecturing)
    return query | Q(path__in=ancestors)


def may_organise(user, session: SessionPage) -> bool:
    """Run a session's check-in screen and keep its roster: the administrators
    of its forum (and above) and its lecturers."""
    if not user.is_authenticated:
        return False
    return can_administer(user, session) or session.lecturers.filter(user=user).exists()


# Evaluation results ---------------------------------------------------------


def visible_sessions(user) -> QuerySet:
    """Sessions whose results the user may see: his subtrees' and his own lectures.

    Lecturers see the sessions they gave; forum administrators the sessions
    below the forums they administer; superusers everything.
    """
    if not user.is_authenticated:
        return SessionPage.objects.none()
    if user.is_superuser:
        return SessionPage.objects.all()
    query = Q(pk__in=SessionPage.objects.filter(lecturers__user=user).values("pk"))
    # Subtrees he administers: forums, and for the district /classes/ too.
    query |= below_any(administered_paths(user))
    return SessionPage.objects.filter(query)


def may_see_results(user) -> bool:
    """Superusers, forum administrators and lecturers.

    Forums' administrators' and lecturers' groups hold `view_sessionevaluation`
    (read from the permission cache the admin loads anyway); a lecturer
    attached to no forum is found by his profile, remembered on the user as
    the admin menu asks several times a request.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_perm("lectures.view_sessionevaluation"):
        return True
    cached = getattr(user, "_gives_lectures", None)
    if cached is None:
        cached = user._gives_lectures = hasattr(user, "lecturer")
    return cached

"""Who may do what with training classes: every permission predicate of
`courses`, in one place (built on `lectures.rules`).

A class is run by the administrators of the forum it sits under, or, under
the training index, by the district's administrators (who hold the index:
`courses.services.groups`).
"""

from courses.models import Certificate, ClassPage
from lectures.models import tree
from lectures.rules import administered_paths, can_administer


def may_run_classes(user) -> bool:
    """Whether the user may run classes anywhere: he administers part of the
    tree (the admin's 培训班 menu)."""
    return user.is_superuser or bool(administered_paths(user))


def classes_for(user):
    """The classes the user organises: those in his subtrees."""
    classes = ClassPage.objects.all()
    if user.is_superuser:
        return classes
    return classes.filter(tree.below_any(administered_paths(user)))


def may_organise(user, class_page: ClassPage) -> bool:
    """Enrolment, leave, results and completion of this class."""
    return can_administer(user, class_page)


def may_download(user, certificate: Certificate) -> bool:
    """A certificate's PDF: its holder and the class's organisers."""
    return certificate.user_id == user.pk or may_organise(user, certificate.class_page)

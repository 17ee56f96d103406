"""Who may set up an empty installation and import or export the network."""

from lectures.models import DistrictForumPage


def needs_setup() -> bool:
    """An empty installation: no district forum yet."""
    return not DistrictForumPage.objects.exists()


def may_set_up(user) -> bool:
    """Only a superuser, and only while there is no district forum."""
    return user.is_authenticated and user.is_superuser and needs_setup()


def may_import_network(user) -> bool:
    """The whole network is the district's: its administrators (who hold the
    district's model permissions, as for the trainee import) and superusers.
    Django caches a user's permissions, so the menu asks no query for it."""
    return user.is_authenticated and user.has_perm("lectures.add_traineeprofile")

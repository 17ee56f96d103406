"""Who may set up an empty installation and import or export the network."""

from lectures.models import DistrictForumPage
from people.rules import manages_everyone


def needs_setup() -> bool:
    """An empty installation: no district forum yet."""
    return not DistrictForumPage.objects.exists()


def may_set_up(user) -> bool:
    """Only a superuser, and only while there is no district forum."""
    return user.is_authenticated and user.is_superuser and needs_setup()


def may_import_network(user) -> bool:
    """The whole network is the district's: its administrators and superusers."""
    return manages_everyone(user)

"""Refusals of the people services (see lectures.services.errors)."""

from lectures.services.errors import ServiceError


class PeopleError(ServiceError):
    """An account, appointment or password change refused, with the reason."""

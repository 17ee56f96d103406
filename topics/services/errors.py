"""Refusals of the menu and the order flow (see `lectures.services.errors`)."""

from lectures.services.errors import ServiceError


class TopicError(ServiceError):
    """Why a topic could not be proposed, approved or returned."""


class OrderError(ServiceError):
    """Why an order could not be placed, dispatched, accepted or closed."""


class SupportError(ServiceError):
    """Why a trainee's support (我也想听) was refused."""

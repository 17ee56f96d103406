from .orders import OrderStatus, TopicOrder, TopicSupport
from .settings import OrderSettings
from .topics import Topic, TopicQuerySet, TopicStatus

__all__ = [
    "OrderSettings",
    "OrderStatus",
    "Topic",
    "TopicOrder",
    "TopicQuerySet",
    "TopicStatus",
    "TopicSupport",
]

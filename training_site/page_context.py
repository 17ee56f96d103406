"""What a page's template is given, from the view layer.

Every page type's `get_context` asks the builder its app registered with
`context_for`, so models never import views: the views import the models
and register themselves (each app's `views/pages.py`, loaded by its
`AppConfig.ready`). A page type without a builder of its own uses the
nearest one registered for a class it inherits from.
"""

from collections.abc import Callable

#: page class → builder(page, request) -> dict
_BUILDERS: dict[type, Callable] = {}


def context_for(page_class: type) -> Callable:
    """Register a function `(page, request) -> dict` for a page type's context."""

    def register(builder: Callable) -> Callable:
        _BUILDERS[page_class] = builder
        return builder

    return register


class ViewContextMixin:
    """A page whose context comes from its registered builder."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        for page_class in type(self).__mro__:
            builder = _BUILDERS.get(page_class)
            if builder is not None:
                context.update(builder(self, request))
                break
        return context

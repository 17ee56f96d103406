"""Local development and `make run`.

`make run` serves with gunicorn and DEBUG off (DJANGO_DEBUG=0), so what we
look at and measure is the production code path; `runserver` users can turn
DEBUG on.
"""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SERVE_MEDIA = True

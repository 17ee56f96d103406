from .external import ExternalKind, ExternalStatus, ExternalTraining
from .settings import LedgerSettings
from .sources import Source

__all__ = [
    "ExternalKind",
    "ExternalStatus",
    "ExternalTraining",
    "LedgerSettings",
    "Source",
]

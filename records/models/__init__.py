from .external import ExternalKind, ExternalStatus, ExternalTraining
from .kept import YearHours
from .settings import LedgerSettings
from .sources import Source
from .transcripts import Transcript

__all__ = [
    "ExternalKind",
    "ExternalStatus",
    "ExternalTraining",
    "LedgerSettings",
    "Source",
    "Transcript",
    "YearHours",
]

from .external import ExternalKind, ExternalStatus, ExternalTraining
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
]

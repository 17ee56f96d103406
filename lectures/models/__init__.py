from .forums import (
    DistrictForumPage,
    ForumLevel,
    ForumPage,
    UnitForumPage,
    UnitKind,
    VillageForumPage,
)
from .lecturers import Lecturer
from .sessions import SessionMaterial, SessionPage, SessionPhoto, SessionStatus
from .taxonomy import Category, Field
from .workflow import ForumApprovalTask

__all__ = [
    "Category",
    "DistrictForumPage",
    "Field",
    "ForumApprovalTask",
    "ForumLevel",
    "ForumPage",
    "Lecturer",
    "SessionMaterial",
    "SessionPage",
    "SessionPhoto",
    "SessionStatus",
    "UnitForumPage",
    "UnitKind",
    "VillageForumPage",
]

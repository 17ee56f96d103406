from .forums import (
    DistrictForumPage,
    ForumLevel,
    ForumPage,
    UnitForumPage,
    UnitKind,
    VillageForumPage,
)
from .hosts import SessionHost, SessionKind
from .lecturers import Lecturer
from .participation import (
    Attendance,
    AttendanceStatus,
    CheckInMethod,
    PersonalCalendar,
    Registration,
    RegistrationStatus,
    TraineeProfile,
)
from .sessions import SessionMaterial, SessionPage, SessionPhoto, SessionStatus
from .settings import ParticipationSettings
from .taxonomy import Category, Field
from .workflow import ForumApprovalTask

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "CheckInMethod",
    "Category",
    "DistrictForumPage",
    "Field",
    "ForumApprovalTask",
    "ForumLevel",
    "ForumPage",
    "Lecturer",
    "PersonalCalendar",
    "ParticipationSettings",
    "Registration",
    "RegistrationStatus",
    "SessionMaterial",
    "SessionPage",
    "SessionHost",
    "SessionKind",
    "SessionPhoto",
    "SessionStatus",
    "TraineeProfile",
    "UnitForumPage",
    "UnitKind",
    "VillageForumPage",
]

from .evaluations import (
    EvaluationComment,
    EvaluationForm,
    EvaluationFormHost,
    EvaluationIndicator,
    EvaluationReceipt,
    EvaluationScale,
    RatingCount,
    RatingTally,
    SessionEvaluation,
)
from .figures import FIRST_VISIT, DayFigures, PersonDay, VisitGaps
from .forums import (
    DistrictForumPage,
    ForumApplicationDocument,
    ForumLevel,
    ForumPage,
    UnitForumPage,
    UnitKind,
    VillageForumPage,
)
from .hosts import SessionHost, SessionKind
from .lecturers import Lecturer
from .participation import (
    ATTENDED,
    Attendance,
    AttendanceStatus,
    AttendeeCount,
    CheckInMethod,
    OtherAttendees,
    PersonalCalendar,
    Registration,
    RegistrationStatus,
    RosterCount,
    TraineeProfile,
)
from .ranks import Rank
from .sessions import (
    SessionEvent,
    SessionMaterial,
    SessionPage,
    SessionPhoto,
    SessionStatus,
)
from .settings import ParticipationSettings
from .taxonomy import Category, Field
from .workflow import ForumApprovalTask

__all__ = [
    "ATTENDED",
    "FIRST_VISIT",
    "Attendance",
    "AttendanceStatus",
    "AttendeeCount",
    "Category",
    "CheckInMethod",
    "DayFigures",
    "DistrictForumPage",
    "EvaluationComment",
    "EvaluationForm",
    "EvaluationFormHost",
    "EvaluationIndicator",
    "EvaluationReceipt",
    "EvaluationScale",
    "Field",
    "ForumApplicationDocument",
    "ForumApprovalTask",
    "ForumLevel",
    "ForumPage",
    "Lecturer",
    "OtherAttendees",
    "ParticipationSettings",
    "PersonDay",
    "PersonalCalendar",
    "Rank",
    "RatingCount",
    "RatingTally",
    "Registration",
    "RegistrationStatus",
    "RosterCount",
    "SessionEvaluation",
    "SessionEvent",
    "SessionHost",
    "SessionKind",
    "SessionMaterial",
    "SessionPage",
    "SessionPhoto",
    "SessionStatus",
    "TraineeProfile",
    "UnitForumPage",
    "UnitKind",
    "VillageForumPage",
    "VisitGaps",
]

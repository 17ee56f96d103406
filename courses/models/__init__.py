from .assessment import Attempt, AttemptAnswer
from .certificates import Certificate
from .enrolment import (
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    LeaveRequest,
    LeaveStatus,
)
from .pages import ClassPage, ClassPhase, ClassType, TrainingIndexPage

__all__ = [
    "Attempt",
    "AttemptAnswer",
    "Certificate",
    "ClassPage",
    "ClassPhase",
    "ClassType",
    "Enrolment",
    "EnrolmentSource",
    "EnrolmentStatus",
    "LeaveRequest",
    "LeaveStatus",
    "TrainingIndexPage",
]

"""One module per noun; importing this package registers every table on the metadata."""
from lms.models.audit import AuditEvent
from lms.models.cohort import Cohort, Enrolment
from lms.models.interest import InterestDigest, InterestEvent, InterestRegistration
from lms.models.progress import ModuleCompletion
from lms.models.user import User

__all__ = [
    "AuditEvent", "Cohort", "Enrolment", "InterestDigest", "InterestEvent", "InterestRegistration", "ModuleCompletion",
    "User",
]

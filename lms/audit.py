"""The one way to write to the audit log. Services call it inside their own transaction."""
from lms.extensions import db
from lms.models.audit import AuditEvent


def record(action: str, *, actor=None, ip: str | None = None, subject=None, **detail) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        ip=ip,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=str(subject.id) if subject is not None else None,
        detail=detail,
    )
    db.session.add(event)
    return event

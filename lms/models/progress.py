from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.base import UTCDateTime, append_only, utcnow

REFLECTION_MAX_LENGTH = 5000


@append_only
class ModuleCompletion(db.Model):
    """A trainee completed a module at a content version. Completing the same version again
    changes nothing; completing after the module changed adds a row for the new version."""

    __tablename__ = "module_completions"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "module_slug", "content_version", name="uq_module_completions_version"),
        Index("ix_module_completions_enrolment_module", "enrolment_id", "module_slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"))
    module_slug: Mapped[str] = mapped_column(String(100))
    content_version: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reflection: Mapped[str | None] = mapped_column(Text)

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import UTCDateTime, utcnow

TRAINEE = "trainee"
TRAINER = "trainer"
ENROLMENT_ROLES = (TRAINEE, TRAINER)
ACTIVE, WITHDRAWN, COMPLETED = "active", "withdrawn", "completed"
ENROLMENT_STATUSES = (ACTIVE, WITHDRAWN, COMPLETED)


class Cohort(db.Model):
    """A group of people taking one programme together, hosted by an organisation."""

    __tablename__ = "cohorts"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        Index("ix_cohorts_programme_starts_on", "programme_slug", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    host_organisation: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now())

    enrolments: Mapped[list["Enrolment"]] = relationship(back_populates="cohort", lazy="raise")


class Enrolment(db.Model):
    """A person's place on a cohort, as trainee or trainer. One place per person per cohort."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("user_id", "cohort_id", name="uq_enrolments_user_cohort"),
        CheckConstraint("role IN ('trainee', 'trainer')", name="role_known"),
        CheckConstraint("status IN ('active', 'withdrawn', 'completed')", name="status_known"),
        Index("ix_enrolments_cohort_role_status", "cohort_id", "role", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE, server_default=ACTIVE)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now())
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cohort: Mapped[Cohort] = relationship(back_populates="enrolments", lazy="raise")
    user = relationship("User", lazy="raise")

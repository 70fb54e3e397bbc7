"""Interest registrations from organisations, their append-only history and the coordinator digests."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import UTCDateTime, append_only, utcnow

PROGRAMMES = {
    "facilitator": "HLM facilitator training",
    "train-the-trainer": "Train the Trainer",
}
ORGANISATION_TYPES = {
    "nhs-trust": "NHS trust or foundation trust",
    "icb": "Integrated care board (ICB)",
    "primary-care": "Primary care (for example a GP practice or primary care network)",
    "social-care": "Social care",
    "hospice": "Hospice",
    "other": "Another kind of organisation",
}
REGIONS = {
    "east-of-england": "East of England",
    "london": "London",
    "midlands": "Midlands",
    "north-east-and-yorkshire": "North East and Yorkshire",
    "north-west": "North West",
    "south-east": "South East",
    "south-west": "South West",
}
FORMATS = {
    "in-person": "In person",
    "online": "Online",
    "either": "Either",
}
TIMEFRAMES = {
    "within-3-months": "Within 3 months",
    "3-to-6-months": "In 3 to 6 months",
    "6-to-12-months": "In 6 to 12 months",
    "not-sure": "Not sure yet",
}
STATUSES = {
    "new": "New",
    "contacted": "Contacted",
    "scheduled": "Scheduled",
    "converted": "Converted",
    "declined": "Declined",
    "stalled": "Stalled",
}
CLOSED_STATUSES = ("converted", "declined", "stalled")


class InterestRegistration(db.Model):
    """One organisation's registration of interest. Personal fields are blanked, never the row,
    when the retention period ends (see ``anonymise_closed_registrations``)."""

    __tablename__ = "interest_registrations"
    __table_args__ = (
        # Each serves a filter of the coordinator list together with its default order.
        Index("ix_interest_registrations_status_created", "status", "created_at"),
        Index("ix_interest_registrations_programme_created", "programme", "created_at"),
        Index("ix_interest_registrations_region_created", "region", "created_at"),
        Index("ix_interest_registrations_org_type_created", "organisation_type", "created_at"),
        Index("ix_interest_registrations_assigned_created", "assigned_to_id", "created_at"),
        # Serves the possible-duplicate check on every submission.
        Index("ix_interest_registrations_email_programme_created", "email", "programme", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # Issued with the form; a resubmitted form carries the same key and finds the same record.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now(), index=True)

    programme: Mapped[str] = mapped_column(String(32))
    organisation_name: Mapped[str] = mapped_column(String(200))
    organisation_type: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(40))
    ods_code: Mapped[str | None] = mapped_column(String(10))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    participants: Mapped[int] = mapped_column(Integer)
    preferred_format: Mapped[str] = mapped_column(String(16))
    timeframe: Mapped[str] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime)

    possible_duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("interest_registrations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="new", server_default="new")
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now())
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("interest_digests.id"), index=True)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the registration is converted: the cohort it became.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)

    assigned_to = relationship("User", lazy="raise")
    cohort = relationship("Cohort", lazy="raise")
    possible_duplicate_of = relationship("InterestRegistration", remote_side=[id], lazy="raise")
    events = relationship(
        "InterestEvent", back_populates="registration", lazy="raise", order_by="InterestEvent.id"
    )

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def __repr__(self) -> str:
        return f"<InterestRegistration {self.reference} {self.status}>"


@append_only
class InterestEvent(db.Model):
    """History of a registration: registered, status changed, assigned, note added, anonymised.

    Append-only. The single exception is retention: anonymising a registration blanks the text of
    its notes (they may name people) and keeps who did what, and when."""

    __tablename__ = "interest_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("interest_registrations.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))  # registered | status | assigned | note | anonymised
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)

    registration = relationship("InterestRegistration", back_populates="events", lazy="raise")
    actor = relationship("User", foreign_keys=[actor_id], lazy="raise")
    assigned_to = relationship("User", foreign_keys=[assigned_to_id], lazy="raise")


@append_only
class InterestDigest(db.Model):
    """One coordinator digest email. ``slot`` (the hour number since the epoch) is unique, so two
    runs in the same hour cannot both send; the sender also refuses within an hour of the last."""

    __tablename__ = "interest_digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=func.now(), index=True)
    registration_count: Mapped[int] = mapped_column(Integer)
    recipient_count: Mapped[int] = mapped_column(Integer)

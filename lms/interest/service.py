"""Interest registrations: the rules. No request, session or current_user in here.

Public side: form tokens (idempotency key + issue time), bot checks, registering. Coordinator
side: status workflow, assignment, notes, the hourly digest and anonymisation for retention.
"""
import calendar
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from lms import audit
from lms.access import require_role
from lms.auth import tokens
from lms.auth.service import normalise_email
from lms.errors import InvalidInput
from lms.extensions import db
from lms.mail import send_email
from lms.urls import external_url
from lms.models.base import utcnow
from lms.models.interest import (
    CLOSED_STATUSES,
    FORMATS,
    ORGANISATION_TYPES,
    PROGRAMMES,
    REGIONS,
    TIMEFRAMES,
    InterestDigest,
    InterestEvent,
    InterestRegistration,
)
from lms.models.cohort import Cohort
from lms.models.user import User

log = logging.getLogger(__name__)

# No 0/O, 1/I/L or U/V look-alikes: people read references out over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
REFERENCE_LENGTH = 6
DUPLICATE_WINDOW = timedelta(days=30)

TRANSITIONS = {
    "new": ("contacted", "declined", "stalled"),
    "contacted": ("scheduled", "declined", "stalled"),
    "scheduled": ("converted", "declined", "stalled"),
    "stalled": ("contacted", "scheduled", "declined"),
    "declined": ("contacted",),
    "converted": (),
}
PERSONAL_FIELDS = ("contact_name", "job_title", "email", "phone", "message")


class InvalidFormToken(Exception):
    """The hidden form token is missing, tampered with or too old."""


# --- the public form ---------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return tokens.signer("interest-form")


def issue_form_token() -> str:
    """A signed, timestamped idempotency key to put in the form as a hidden field."""
    return _serializer().dumps(secrets.token_urlsafe(24))


def read_form_token(token: str | None) -> tuple[str, datetime]:
    """The idempotency key and the time the form was issued."""
    if not token or len(token) > 200:
        raise InvalidFormToken
    try:
        key, issued = _serializer().loads(token, max_age=current_app.config["INTEREST_FORM_MAX_AGE"], return_timestamp=True)
    except (BadSignature, SignatureExpired):
        raise InvalidFormToken from None
    if not isinstance(key, str) or not 16 <= len(key) <= 64:
        raise InvalidFormToken
    return key, issued


def looks_automated(*, honeypot: str | None, issued_at: datetime, now: datetime | None = None) -> bool:
    """A filled honeypot or a form sent faster than a person could fill it in."""
    elapsed = ((now or utcnow()) - issued_at).total_seconds()
    return bool(honeypot) or elapsed < current_app.config["INTEREST_MIN_FILL_SECONDS"]


def decoy_reference() -> str:
    """What a bot is shown: shaped like a real reference, never stored."""
    return new_reference()


def new_reference() -> str:
    return "HLM-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def _check_choice(value, choices: dict, message: str, field_name: str) -> None:
    if value not in choices:
        raise InvalidInput(message, field=field_name)


def register_interest(
    *,
    idempotency_key: str,
    programme: str,
    organisation_name: str,
    organisation_type: str,
    region: str,
    contact_name: str,
    job_title: str,
    email: str,
    participants: int,
    preferred_format: str,
    timeframe: str,
    consent: bool,
    ods_code: str | None = None,
    phone: str | None = None,
    message: str | None = None,
    ip: str | None = None,
) -> tuple[InterestRegistration, bool]:
    """Store a registration, once per idempotency key. Returns (registration, created).

    The unique key holds across workers: a concurrent second insert fails and finds the first.
    A registration from the same email for the same programme within 30 days is stored and
    flagged as a possible duplicate of the earlier one."""
    _check_choice(programme, PROGRAMMES, "Select the programme you are interested in", "programme")
    _check_choice(organisation_type, ORGANISATION_TYPES, "Select the type of organisation", "organisation_type")
    _check_choice(region, REGIONS, "Select your NHS England region", "region")
    _check_choice(preferred_format, FORMATS, "Select how you would prefer the training to run", "preferred_format")
    _check_choice(timeframe, TIMEFRAMES, "Select when you would like the training to start", "timeframe")
    if not consent:
        raise InvalidInput("Confirm that we can contact you about this registration", field="consent")
    if not 1 <= participants <= 500:
        raise InvalidInput("Number of participants must be between 1 and 500", field="participants")

    existing = _find_by_key(idempotency_key)
    if existing is not None:
        return existing, False
    email = normalise_email(email)
    for _attempt in range(5):
        now = utcnow()
        registration = InterestRegistration(
            reference=new_reference(),
            idempotency_key=idempotency_key,
            created_at=now,
            status_changed_at=now,
            programme=programme,
            organisation_name=organisation_name,
            organisation_type=organisation_type,
            region=region,
            ods_code=ods_code or None,
            contact_name=contact_name,
            job_title=job_title,
            email=email,
            phone=phone or None,
            participants=participants,
            preferred_format=preferred_format,
            timeframe=timeframe,
            message=message or None,
            consented_at=now,
            possible_duplicate_of_id=_earlier_registration_id(email=email, programme=programme, now=now),
        )
        db.session.add(registration)
        try:
            db.session.flush()
        except IntegrityError:
            # Either this key was stored by a concurrent request, or the reference collided.
            db.session.rollback()
            existing = _find_by_key(idempotency_key)
            if existing is not None:
                return existing, False
            continue
        db.session.add(InterestEvent(registration_id=registration.id, at=now, kind="registered", to_status="new"))
        audit.record("interest_registered", ip=ip, subject=registration, reference=registration.reference)
        db.session.commit()
        _send_confirmation(registration)
        return registration, True
    raise RuntimeError("could not store an interest registration after 5 attempts")


def _find_by_key(key: str) -> InterestRegistration | None:
    return db.session.execute(
        select(InterestRegistration).where(InterestRegistration.idempotency_key == key)
    ).scalar_one_or_none()


def _earlier_registration_id(*, email: str, programme: str, now: datetime) -> int | None:
    return db.session.execute(
        select(InterestRegistration.id)
        .where(
            InterestRegistration.email == email,
            InterestRegistration.programme == programme,
            InterestRegistration.created_at >= now - DUPLICATE_WINDOW,
        )
        .order_by(InterestRegistration.created_at, InterestRegistration.id)
        .limit(1)
    ).scalar_one_or_none()


def _send_confirmation(registration: InterestRegistration) -> None:
    """After the commit: a mail failure must never lose the registration itself."""
    body = "\n".join(
        [
            f"Dear {registration.contact_name},",
            "",
            f"Thank you for registering {registration.organisation_name}'s interest in "
            f"{PROGRAMMES[registration.programme]}.",
            "",
            f"Your reference is {registration.reference}. Please quote it if you contact us.",
            "",
            "What happens next: a programme coordinator will contact you within 10 working days to talk",
            "about your staff's needs, dates and how the training would run.",
            "",
            "If you did not register, you can ignore this email.",
            "",
            current_app.config["SERVICE_NAME"],
        ]
    )
    try:
        send_email(to=registration.email, subject=f"We have received your registration ({registration.reference})", body=body)
    except Exception:  # noqa: BLE001 - logged; the record is safe and coordinators still see it
        log.exception("could not send the interest confirmation for %s", registration.reference)


# --- coordinator work --------------------------------------------------------------------------


def _require_coordinator(actor) -> None:
    require_role(actor, "coordinator", "Only programme coordinators can work the interest list")


def allowed_next_statuses(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def coordinators() -> list[User]:
    return list(
        db.session.execute(
            select(User).where(User.is_coordinator.is_(True), User.active.is_(True)).order_by(User.name, User.id)
        ).scalars()
    )


def cohorts_for(registration: InterestRegistration) -> list[Cohort]:
    """Cohorts on the registration's programme, newest first: what a conversion can link to."""
    return list(
        db.session.execute(
            select(Cohort).where(Cohort.programme_slug == registration.programme).order_by(Cohort.starts_on.desc(), Cohort.id.desc())
        ).scalars()
    )


def change_status(
    *, actor: User, registration: InterestRegistration, expected_status: str, to_status: str, note: str | None = None,
    cohort_id: int | None = None, ip: str | None = None,
) -> None:
    """Move a registration along the workflow. ``expected_status`` is what the coordinator saw:
    if someone else changed it meanwhile, nothing changes and they are told. A conversion may
    link the cohort the registration became (same programme only)."""
    _require_coordinator(actor)
    if to_status not in allowed_next_statuses(expected_status):
        raise InvalidInput("Select one of the statuses shown", field="status")
    if cohort_id is not None:
        if to_status != "converted":
            raise InvalidInput("Only link a cohort when the status is converted", field="cohort")
        cohort = db.session.get(Cohort, cohort_id)
        if cohort is None or cohort.programme_slug != registration.programme:
            raise InvalidInput("Select a cohort from the list", field="cohort")
    now = utcnow()
    values = {"status": to_status, "status_changed_at": now}
    if cohort_id is not None:
        values["cohort_id"] = cohort_id
    changed = db.session.execute(
        update(InterestRegistration)
        .where(InterestRegistration.id == registration.id, InterestRegistration.status == expected_status)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise InvalidInput(
            "Someone else changed the status while you were looking. Check the history and try again", field="status"
        )
    db.session.add(
        InterestEvent(
            registration_id=registration.id, at=now, actor_id=actor.id, kind="status",
            from_status=expected_status, to_status=to_status, note=note or None,
        )
    )
    audit.record(
        "interest_status_changed", actor=actor, ip=ip, subject=registration,
        from_status=expected_status, to_status=to_status, **({"cohort_id": cohort_id} if cohort_id else {}),
    )
    db.session.commit()


def assign(*, actor: User, registration: InterestRegistration, coordinator_id: int | None, ip: str | None = None) -> None:
    _require_coordinator(actor)
    if coordinator_id is not None:
        person = db.session.get(User, coordinator_id)
        if person is None or not person.is_coordinator or not person.active:
            raise InvalidInput("Select a coordinator from the list", field="assigned_to")
    if registration.assigned_to_id == coordinator_id:
        return
    registration.assigned_to_id = coordinator_id
    db.session.add(
        InterestEvent(registration_id=registration.id, actor_id=actor.id, kind="assigned", assigned_to_id=coordinator_id)
    )
    audit.record("interest_assigned", actor=actor, ip=ip, subject=registration, assigned_to_id=coordinator_id)
    db.session.commit()


def add_note(*, actor: User, registration: InterestRegistration, note: str, ip: str | None = None) -> None:
    _require_coordinator(actor)
    if not note or not note.strip():
        raise InvalidInput("Enter a note", field="note")
    db.session.add(InterestEvent(registration_id=registration.id, actor_id=actor.id, kind="note", note=note))
    audit.record("interest_note_added", actor=actor, ip=ip, subject=registration)
    db.session.commit()


def record_export(*, actor: User, filters: dict, row_count: int, ip: str | None = None) -> None:
    _require_coordinator(actor)
    audit.record("interest_exported", actor=actor, ip=ip, filters=filters, row_count=row_count)
    db.session.commit()


# --- the coordinators' digest ------------------------------------------------------------------


@dataclass
class DigestResult:
    sent: bool
    registrations: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    reason: str = ""


def send_interest_digest(*, now: datetime | None = None) -> DigestResult:
    """Email active coordinators the registrations no digest has included yet.

    At most one digest per INTEREST_DIGEST_MIN_INTERVAL: the command refuses within that time of
    the last one, and the unique hour slot stops two runs in the same hour both sending. Each
    registration is claimed by one digest only, so nothing is sent twice."""
    now = now or utcnow()
    interval = current_app.config["INTEREST_DIGEST_MIN_INTERVAL"]
    last = db.session.execute(select(func.max(InterestDigest.sent_at))).scalar_one_or_none()
    if last is not None and (now - last).total_seconds() < interval:
        return DigestResult(sent=False, reason=f"the last digest went at {last:%H:%M} UTC, less than an hour ago")
    pending = list(
        db.session.execute(
            select(InterestRegistration)
            .where(InterestRegistration.digest_id.is_(None))
            .order_by(InterestRegistration.created_at, InterestRegistration.id)
        ).scalars()
    )
    if not pending:
        return DigestResult(sent=False, reason="no new registrations since the last digest")
    recipients = [person.email for person in coordinators()]
    if not recipients:
        return DigestResult(sent=False, reason="there are no active coordinators to send it to")
    digest = InterestDigest(
        slot=int(now.timestamp()) // interval, sent_at=now,
        registration_count=len(pending), recipient_count=len(recipients),
    )
    db.session.add(digest)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return DigestResult(sent=False, reason="another run sent this hour's digest")
    claimed = db.session.execute(
        update(InterestRegistration)
        .where(InterestRegistration.id.in_([r.id for r in pending]), InterestRegistration.digest_id.is_(None))
        .values(digest_id=digest.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != len(pending):
        db.session.rollback()
        return DigestResult(sent=False, reason="another run is sending a digest")
    audit.record("interest_digest_sent", subject=digest, registrations=len(pending), recipients=len(recipients))
    body = _digest_body(pending)
    subject = f"{len(pending)} new interest registration{'s' if len(pending) != 1 else ''}"
    for address in recipients:
        send_email(to=address, subject=subject, body=body)
    db.session.commit()  # after sending: if mail fails, the registrations go in the next digest
    return DigestResult(sent=True, registrations=pending, recipients=recipients)


def _digest_body(registrations) -> str:
    lines = [f"New interest registrations since the last digest ({len(registrations)}):", ""]
    for registration in registrations:
        lines += [
            f"{registration.reference}  {registration.organisation_name}",
            f"  {PROGRAMMES[registration.programme]}, {REGIONS[registration.region]}, "
            f"{registration.participants} participant{'s' if registration.participants != 1 else ''}"
            + ("  (possible duplicate)" if registration.possible_duplicate_of_id else ""),
            "  " + external_url("coordinator.interest_detail", registration_id=registration.id),
            "",
        ]
    lines.append("Work the list: " + external_url("coordinator.interest_list"))
    return "\n".join(lines)


# --- retention ---------------------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def anonymise_closed_registrations(*, older_than_months: int, dry_run: bool, now: datetime | None = None) -> list[InterestRegistration]:
    """Blank the personal fields of closed registrations received more than N months ago.

    Keeps the record, its organisation, programme, region, counts and history (who changed
    what, when); note texts are blanked too, as they may name people. Returns what it changed
    (or, with ``dry_run``, would change)."""
    if older_than_months < 1:
        raise InvalidInput("The retention period must be at least 1 month", field="older_than_months")
    now = now or utcnow()
    cutoff = months_before(now, older_than_months)
    due = list(
        db.session.execute(
            select(InterestRegistration)
            .where(
                InterestRegistration.status.in_(CLOSED_STATUSES),
                InterestRegistration.created_at < cutoff,
                InterestRegistration.anonymised_at.is_(None),
            )
            .order_by(InterestRegistration.created_at, InterestRegistration.id)
        ).scalars()
    )
    if dry_run or not due:
        db.session.rollback()
        return due
    ids = [registration.id for registration in due]
    for registration in due:
        for name in PERSONAL_FIELDS:
            setattr(registration, name, None)
        registration.anonymised_at = now
        db.session.add(InterestEvent(registration_id=registration.id, at=now, kind="anonymised"))
    # Retention is the one exception to append-only history: the rows stay, their text goes.
    for start in range(0, len(ids), 500):
        db.session.execute(
            update(InterestEvent)
            .where(InterestEvent.registration_id.in_(ids[start:start + 500]), InterestEvent.note.is_not(None))
            .values(note=None)
            .execution_options(synchronize_session=False)
        )
    audit.record(
        "interest_anonymised", older_than_months=older_than_months, cutoff=cutoff.isoformat(),
        count=len(due), references=[registration.reference for registration in due],
    )
    db.session.commit()
    return due

"""Finding interest registrations: the coordinator list, its filters and the CSV export.

Filters come from the query string, so a view can be bookmarked and shared. Values that are
not understood are ignored (and named on the page), never an error.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from lms.extensions import db
from lms.forms.filters import query_text
from lms.models.interest import (
    FORMATS,
    ORGANISATION_TYPES,
    PROGRAMMES,
    REGIONS,
    STATUSES,
    TIMEFRAMES,
    InterestEvent,
    InterestRegistration,
)
from lms.models.user import User

PAGE_SIZE = 50
UK = ZoneInfo("Europe/London")
R = InterestRegistration

SORTS = {
    "newest": ("Newest first", (R.created_at.desc(), R.id.desc())),
    "oldest": ("Oldest first", (R.created_at.asc(), R.id.asc())),
    "organisation": ("Organisation name (A to Z)", (func.lower(R.organisation_name), R.id)),
    "participants": ("Most participants first", (R.participants.desc(), R.created_at.desc(), R.id.desc())),
    "status": ("Status", (R.status, R.created_at.desc(), R.id.desc())),
}
CHOICE_FILTERS = {
    "status": STATUSES,
    "programme": PROGRAMMES,
    "region": REGIONS,
    "organisation_type": ORGANISATION_TYPES,
}
FILTER_LABELS = {
    "status": "status", "programme": "programme", "region": "region", "organisation_type": "organisation type",
    "assigned": "assigned coordinator", "received_from": "received from", "received_to": "received to",
    "duplicates": "possible duplicates", "sort": "sort order",
}


@dataclass
class InterestFilters:
    status: str = ""
    programme: str = ""
    region: str = ""
    organisation_type: str = ""
    assigned: str = ""  # "" anyone, "none" nobody, or a coordinator's id
    received_from: date | None = None
    received_to: date | None = None
    duplicates: bool = False
    q: str = ""
    sort: str = "newest"
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> "InterestFilters":
        filters = cls(q=query_text(args, "q"))
        for name, choices in CHOICE_FILTERS.items():
            value = args.get(name, "")
            if value in choices:
                setattr(filters, name, value)
            elif value:
                filters.ignored.append(FILTER_LABELS[name])
        assigned = args.get("assigned", "")
        if assigned == "none" or (assigned.isascii() and assigned.isdigit() and len(assigned) < 10):
            filters.assigned = assigned
        elif assigned:
            filters.ignored.append(FILTER_LABELS["assigned"])
        for name in ("received_from", "received_to"):
            value = args.get(name, "")
            if value:
                try:
                    setattr(filters, name, date.fromisoformat(value))
                except ValueError:
                    filters.ignored.append(FILTER_LABELS[name])
        duplicates = args.get("duplicates", "")
        if duplicates == "yes":
            filters.duplicates = True
        elif duplicates:
            filters.ignored.append(FILTER_LABELS["duplicates"])
        sort = args.get("sort", "")
        if sort in SORTS:
            filters.sort = sort
        elif sort:
            filters.ignored.append(FILTER_LABELS["sort"])
        return filters

    def as_args(self) -> dict:
        """The query string for this view (for links, the export and the audit log)."""
        args = {
            "q": self.q, "status": self.status, "programme": self.programme, "region": self.region,
            "organisation_type": self.organisation_type, "assigned": self.assigned,
            "received_from": self.received_from.isoformat() if self.received_from else "",
            "received_to": self.received_to.isoformat() if self.received_to else "",
            "duplicates": "yes" if self.duplicates else "",
            "sort": "" if self.sort == "newest" else self.sort,
        }
        return {key: value for key, value in args.items() if value}


def _start_of_uk_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UK).astimezone(timezone.utc)


def filtered(filters: InterestFilters, statement: Select | None = None) -> Select:
    """``statement`` (default: select the registrations) narrowed to the filters."""
    statement = select(R) if statement is None else statement
    for name in CHOICE_FILTERS:
        value = getattr(filters, name)
        if value:
            statement = statement.where(getattr(R, name) == value)
    if filters.assigned == "none":
        statement = statement.where(R.assigned_to_id.is_(None))
    elif filters.assigned:
        statement = statement.where(R.assigned_to_id == int(filters.assigned))
    if filters.received_from:
        statement = statement.where(R.created_at >= _start_of_uk_day(filters.received_from))
    if filters.received_to:
        statement = statement.where(R.created_at < _start_of_uk_day(date.fromordinal(filters.received_to.toordinal() + 1)))
    if filters.duplicates:
        statement = statement.where(R.possible_duplicate_of_id.is_not(None))
    if filters.q:
        needle = filters.q.lower()
        statement = statement.where(
            or_(
                func.lower(R.organisation_name).contains(needle, autoescape=True),
                func.lower(R.contact_name).contains(needle, autoescape=True),
                func.lower(R.email).contains(needle, autoescape=True),
                R.reference == filters.q.upper(),
            )
        )
    return statement


def registrations_page(filters: InterestFilters, page: int) -> tuple[list[InterestRegistration], int]:
    """One page and the total: two queries, whatever the number of rows."""
    statement = filtered(filters)
    total = db.session.execute(select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(
        statement.options(joinedload(R.assigned_to))
        .order_by(*SORTS[filters.sort][1])
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).scalars().all()
    return list(rows), total


def count(filters: InterestFilters) -> int:
    statement = filtered(filters)
    return db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()


EXPORT_HEADER = [
    "Reference", "Received (UTC)", "Status", "Programme", "Organisation", "Organisation type", "Region",
    "ODS code", "Contact name", "Job title", "Email address", "Phone number", "Participants",
    "Preferred format", "Preferred start", "Anything else", "Possible duplicate of", "Assigned to", "Anonymised",
]


def export_rows(filters: InterestFilters, batch_size: int):
    """Rows for the CSV export, in the list's order, fetched in batches (a server-side cursor on
    PostgreSQL) so that 50,000 registrations never sit in memory at once."""
    earlier = aliased(R)
    assignee = aliased(User)
    columns = select(
        R.reference, R.created_at, R.status, R.programme, R.organisation_name, R.organisation_type, R.region,
        R.ods_code, R.contact_name, R.job_title, R.email, R.phone, R.participants, R.preferred_format,
        R.timeframe, R.message, earlier.reference, assignee.name, R.anonymised_at,
    ).select_from(R)
    statement = (
        filtered(filters, columns)
        .outerjoin(earlier, earlier.id == R.possible_duplicate_of_id)
        .outerjoin(assignee, assignee.id == R.assigned_to_id)
        .order_by(*SORTS[filters.sort][1])
        .execution_options(yield_per=batch_size)
    )
    for row in db.session.execute(statement):
        (reference, created_at, status, programme, organisation, organisation_type, region, ods, name, job,
         email, phone, participants, preferred_format, timeframe, message, earlier_reference, assigned,
         anonymised_at) = row
        yield (
            reference, created_at.strftime("%Y-%m-%d %H:%M"), STATUSES.get(status, status),
            PROGRAMMES.get(programme, programme), organisation, ORGANISATION_TYPES.get(organisation_type, organisation_type),
            REGIONS.get(region, region), ods, name, job, email, phone, participants,
            FORMATS.get(preferred_format, preferred_format), TIMEFRAMES.get(timeframe, timeframe), message,
            earlier_reference, assigned, "Yes" if anonymised_at else "No",
        )



def registration_with_history(registration_id: int) -> InterestRegistration | None:
    """A registration, its assignee, the registration it may duplicate and every event with its
    people: three queries."""
    return db.session.execute(
        select(R)
        .where(R.id == registration_id)
        .options(
            joinedload(R.assigned_to),
            joinedload(R.possible_duplicate_of),
            joinedload(R.cohort),
            selectinload(R.events).options(joinedload(InterestEvent.actor), joinedload(InterestEvent.assigned_to)),
        )
    ).unique().scalar_one_or_none()

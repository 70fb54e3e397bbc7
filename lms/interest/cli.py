"""`flask --app wsgi lms send-interest-digest` and `lms anonymise-interest`, and the demo data."""
import secrets
from datetime import timedelta

import click

from lms.cli import demo_loaders, lms_cli
from lms.errors import InvalidInput
from lms.extensions import db
from lms.interest import service
from lms.models.base import utcnow
from lms.models.interest import InterestEvent, InterestRegistration


@lms_cli.command("send-interest-digest")
def send_interest_digest():
    """Email coordinators the interest registrations since the last digest. Cron runs it hourly;
    it never sends more than one digest an hour, however often it runs."""
    result = service.send_interest_digest()
    if result.sent:
        click.echo(
            f"Sent a digest of {len(result.registrations)} registration(s) to {len(result.recipients)} coordinator(s)."
        )
    else:
        click.echo(f"No digest sent: {result.reason}.")


@lms_cli.command("anonymise-interest")
@click.option("--older-than-months", default=24, show_default=True, type=click.IntRange(min=1), help="Retention period.")
@click.option("--dry-run", is_flag=True, help="Print what would change and change nothing.")
def anonymise_interest(older_than_months, dry_run):
    """Blank the personal details (contact name, job title, email, phone, free text, note texts) of
    closed registrations (converted, declined, stalled) received more than N months ago."""
    try:
        changed = service.anonymise_closed_registrations(older_than_months=older_than_months, dry_run=dry_run)
    except InvalidInput as error:
        raise click.ClickException(str(error)) from None
    fields = ", ".join(name.replace("_", " ") for name in service.PERSONAL_FIELDS)
    verb = "Would anonymise" if dry_run else "Anonymised"
    click.echo(f"{verb} {len(changed)} closed registration(s) received more than {older_than_months} months ago.")
    for registration in changed:
        click.echo(
            f"  {registration.reference}  {registration.status:<9}  received {registration.created_at:%Y-%m-%d}  "
            f"{registration.organisation_name}"
        )
    if changed:
        click.echo(f"{'Would blank' if dry_run else 'Blanked'}: {fields} and the text of coordinator notes.")
    if dry_run:
        click.echo("Dry run: nothing was changed.")


DEMO_REGISTRATIONS = [
    ("facilitator", "Northshire Hospitals NHS Foundation Trust", "nhs-trust", "north-west", "Priya Shah", "Head of Leadership Development", 24, "new"),
    ("train-the-trainer", "Moorside Integrated Care Board", "icb", "north-east-and-yorkshire", "Gareth Ellis", "OD Lead", 6, "contacted"),
    ("facilitator", "St Brigid's Hospice", "hospice", "south-west", "Siân Rhys", "Education Manager", 8, "scheduled"),
    ("facilitator", "Riverside Primary Care Network", "primary-care", "london", "Tomasz Nowak", "Practice Manager", 4, "stalled"),
]


DEMO_PATHS = {"new": [], "contacted": ["contacted"], "scheduled": ["contacted", "scheduled"], "stalled": ["contacted", "stalled"]}


def load_demo_interest(people: dict) -> None:
    now = utcnow()
    for days_ago, (programme, organisation, kind, region, name, job, participants, status) in enumerate(DEMO_REGISTRATIONS):
        received = now - timedelta(days=3 * days_ago + 1)
        registration = InterestRegistration(
            reference=service.new_reference(), idempotency_key=secrets.token_urlsafe(24), created_at=received,
            status_changed_at=received, programme=programme, organisation_name=organisation, organisation_type=kind,
            region=region, contact_name=name, job_title=job,
            email=name.lower().replace(" ", ".").replace("â", "a") + "@example.org", participants=participants,
            preferred_format="either", timeframe="3-to-6-months", consented_at=received, status=status,
            assigned_to_id=people["coordinator"].id if status != "new" else None,
        )
        db.session.add(registration)
        db.session.flush()
        db.session.add(InterestEvent(registration_id=registration.id, at=received, kind="registered", to_status="new"))
        path = ["new"] + DEMO_PATHS[status]
        for step, (before, after) in enumerate(zip(path, path[1:]), start=1):
            db.session.add(
                InterestEvent(
                    registration_id=registration.id, at=received + timedelta(hours=step), actor_id=people["coordinator"].id,
                    kind="status", from_status=before, to_status=after,
                )
            )


demo_loaders.append(load_demo_interest)

"""Demo cohorts for `flask --app wsgi lms demo`."""
from datetime import date, timedelta

from lms.cli import demo_loaders
from lms.extensions import db
from lms.models.cohort import TRAINEE, TRAINER, Cohort, Enrolment


def load_demo(people: dict) -> None:
    today = date.today()
    cohort = Cohort(
        programme_slug="facilitator",
        name="North East facilitators, winter",
        host_organisation="Northumbria Community Health (demo)",
        region="North East and Yorkshire",
        starts_on=today - timedelta(days=14),
        ends_on=today + timedelta(days=90),
    )
    db.session.add(cohort)
    db.session.flush()
    db.session.add_all(
        [
            Enrolment(user_id=people["trainee"].id, cohort_id=cohort.id, role=TRAINEE),
            Enrolment(user_id=people["trainer"].id, cohort_id=cohort.id, role=TRAINER),
        ]
    )


demo_loaders.append(load_demo)

"""Helpers for the interest tests: valid answers, a browser-like submission and a factory."""
import itertools
import secrets
from datetime import timedelta

import pytest

from lms.extensions import db
from lms.interest import service
from lms.models.base import utcnow
from lms.models.interest import InterestEvent, InterestRegistration

VALID_ANSWERS = {
    "programme": "facilitator",
    "organisation_name": "Northshire Hospitals NHS Foundation Trust",
    "organisation_type": "nhs-trust",
    "region": "north-west",
    "ods_code": "RR8",
    "contact_name": "Priya Shah",
    "job_title": "Head of Leadership Development",
    "email": "priya.shah@northshire.nhs.uk",
    "phone": "01632 960 001",
    "participants": "24",
    "preferred_format": "either",
    "timeframe": "3-to-6-months",
    "message": "",
    "consent": "y",
}

_sequence = itertools.count(1)


def hidden_fields(page) -> dict:
    return {field["name"]: field.get("value", "") for field in page.soup.select("form#main-content-form input[type=hidden]")}


def form_tokens(client) -> dict:
    """What a browser gets with the form: the CSRF token and the signed form token."""
    from tests.conftest import parse

    return hidden_fields(parse(client.get("/interest")))


def submit_interest(client, tokens: dict | None = None, **answers):
    data = {**VALID_ANSWERS, **(tokens or form_tokens(client)), "hlm_check": ""}
    data.update(answers)
    return client.post("/interest", data={key: value for key, value in data.items() if value is not None})


def registrations() -> list[InterestRegistration]:
    db.session.rollback()
    return list(db.session.execute(db.select(InterestRegistration).order_by(InterestRegistration.id)).scalars())


@pytest.fixture
def make_registration(app):
    """Store a registration directly, with any field (and created_at) overridden."""

    def make(**overrides):
        n = next(_sequence)
        now = overrides.pop("created_at", None) or utcnow()
        values = dict(
            reference=service.new_reference(),
            idempotency_key=secrets.token_urlsafe(24),
            created_at=now,
            status_changed_at=now,
            consented_at=now,
            programme="facilitator",
            organisation_name=f"Organisation {n}",
            organisation_type="nhs-trust",
            region="london",
            contact_name=f"Contact {n}",
            job_title="Lead",
            email=f"contact{n}@example.nhs.uk",
            participants=10,
            preferred_format="either",
            timeframe="not-sure",
        )
        values.update(overrides)
        registration = InterestRegistration(**values)
        db.session.add(registration)
        db.session.flush()
        db.session.add(InterestEvent(registration_id=registration.id, at=now, kind="registered", to_status="new"))
        db.session.commit()
        return registration

    return make


def days_ago(days: int):
    return utcnow() - timedelta(days=days)

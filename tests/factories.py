"""Factory fixtures: each returns a callable that creates a record with sensible defaults."""
import itertools
from datetime import date, timedelta

import pytest

from lms.auth.passwords import hash_password
from lms.extensions import db
from lms.models.cohort import Cohort, Enrolment
from lms.models.user import User

DEFAULT_PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


@pytest.fixture
def make_user(app):
    def make(email=None, name=None, password=DEFAULT_PASSWORD, roles=(), active=True):
        n = next(_sequence)
        user = User(
            email=(email or f"person{n}@example.org").lower(),
            name=name or f"Person {n}",
            password_hash=hash_password(password) if password else None,
            active=active,
        )
        for role in roles:
            setattr(user, f"is_{role}", True)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_cohort(app):
    def make(programme="facilitator", name=None, host="Test Trust", region="London", starts_on=None, ends_on=None):
        n = next(_sequence)
        starts_on = starts_on or date.today() - timedelta(days=7)
        cohort = Cohort(
            programme_slug=programme,
            name=name or f"Cohort {n}",
            host_organisation=host,
            region=region,
            starts_on=starts_on,
            ends_on=ends_on or starts_on + timedelta(days=90),
        )
        db.session.add(cohort)
        db.session.commit()
        return cohort

    return make


@pytest.fixture
def enrol(app):
    def make(user, cohort, role="trainee", status="active"):
        enrolment = Enrolment(user_id=user.id, cohort_id=cohort.id, role=role, status=status)
        db.session.add(enrolment)
        db.session.commit()
        return enrolment

    return make


def register_factories(namespace: dict) -> None:
    namespace["make_user"] = make_user
    namespace["make_cohort"] = make_cohort
    namespace["enrol"] = enrol

"""Factory fixtures: each returns a callable that creates a record with sensible defaults."""
import itertools

import pytest

from lms.auth.passwords import hash_password
from lms.extensions import db
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


def register_factories(namespace: dict) -> None:
    namespace["make_user"] = make_user

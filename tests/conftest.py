"""Test wiring: one app per session, a clean database per test.

SQLite by default; PostgreSQL when LMS_TEST_DATABASE_URL is set (CI runs both). The schema is
built by running the migrations, so every test also exercises them.
"""
import contextvars
import os
import re
import tempfile
from email import message_from_bytes
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

_INSTANCE = Path(tempfile.mkdtemp(prefix="lms-test-instance-"))
os.environ["LMS_INSTANCE_PATH"] = str(_INSTANCE)
os.environ.pop("DATABASE_URL", None)

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import inspect, text  # noqa: E402

from flask.testing import FlaskClient  # noqa: E402

from lms import create_app  # noqa: E402
from lms.database import read_only_transactions  # noqa: E402
from lms.config import TestConfig  # noqa: E402
from lms.extensions import db, limiter  # noqa: E402
from tests.factories import register_factories  # noqa: E402

TEST_DATABASE_URL = os.environ.get("LMS_TEST_DATABASE_URL") or f"sqlite:///{_INSTANCE / 'test.sqlite3'}"
OUTBOX = _INSTANCE / "outbox"

register_factories(globals())
from tests.interest_support import make_registration  # noqa: E402,F401  (a fixture for every test module)


def drop_everything() -> None:
    """Empty the test database completely, including tables from other branches' migrations."""
    engine = db.engine
    with engine.begin() as connection:
        names = inspect(connection).get_table_names()
        if engine.dialect.name == "postgresql":
            if names:
                connection.execute(text("DROP TABLE IF EXISTS " + ", ".join(f'"{n}"' for n in names) + " CASCADE"))
        else:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for name in names:
                connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def empty_tables() -> None:
    tables = [t for t in db.metadata.sorted_tables]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


class IsolatedClient(FlaskClient):
    """Each request runs in its own context, as under a real server: its own app context,
    database session and `g`, never the test's."""

    def open(self, *args, **kwargs):
        # The test lets go of its own snapshot around each request, so neither blocks the
        # other and the test then sees what the request committed.
        db.session.rollback()
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            db.session.rollback()


@pytest.fixture(scope="session")
def app():
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=TEST_DATABASE_URL,
        MAIL_OUTBOX_DIR=str(OUTBOX),
        SERVER_NAME=None,
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        drop_everything()
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(app):
    """Every test starts with empty tables, an empty outbox and fresh rate limits."""
    with app.app_context():
        empty_tables()
    limiter.reset()
    for message in OUTBOX.glob("*.eml"):
        message.unlink()
    ctx = app.app_context()
    ctx.push()
    # The test's own queries use deferred transactions so they never hold SQLite's write lock.
    mode = read_only_transactions.set(True)
    yield
    read_only_transactions.reset(mode)
    db.session.rollback()
    db.session.remove()
    ctx.pop()


@pytest.fixture
def client(app):
    return app.test_client()


class Page:
    """A parsed response: `page.soup`, `page.status`, `page.text`, `page.title`."""

    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")

    @property
    def title(self) -> str:
        return self.soup.title.get_text(strip=True) if self.soup.title else ""

    @property
    def h1(self) -> str:
        h1 = self.soup.find("h1")
        return h1.get_text(" ", strip=True) if h1 else ""

    @property
    def text(self) -> str:
        main = self.soup.find("main") or self.soup
        return " ".join(main.get_text(" ", strip=True).split())

    def error_summary(self) -> list[str]:
        summary = self.soup.select(".nhsuk-error-summary__list a")
        return [a.get_text(strip=True) for a in summary]

    def field_error(self, field_id: str) -> str:
        error = self.soup.find(id=f"{field_id}-error")
        return " ".join(error.get_text(" ", strip=True).replace("Error:", "").split()) if error else ""


def parse(response) -> Page:
    return Page(response)


def csrf_token(client) -> str:
    """A valid token for this client's session, taken from a real form."""
    page = parse(client.get("/password/reset"))
    return page.soup.find("input", attrs={"name": "csrf_token"})["value"]


def post_form(client, url: str, data: dict | None = None, **kwargs):
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=payload, **kwargs)


def sign_in(client, user, password: str = "correct horse battery staple"):
    response = post_form(client, "/login", {"email": user.email, "password": password})
    assert response.status_code == 302, "sign-in failed in a test set-up"
    return response


def outbox() -> list:
    messages = []
    for path in sorted(OUTBOX.glob("*.eml")):
        messages.append(message_from_bytes(path.read_bytes()))
    return messages


def link_in(message, path_prefix: str) -> str:
    body = message.get_payload(decode=True).decode()
    match = re.search(r"https?://[^\s]+(" + re.escape(path_prefix) + r"[^\s]*)", body)
    assert match, f"no {path_prefix} link in the email"
    return match.group(1)

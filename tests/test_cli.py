import re

from lms.extensions import db
from lms.models.user import User


def test_create_user_reads_the_password_from_stdin(app):
    result = app.test_cli_runner().invoke(
        args=["lms", "create-user", "Coord@Example.org", "--name", "Coral Ord", "--role", "coordinator"],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User).filter_by(email="coord@example.org")).scalar_one()
    assert user.is_coordinator and not user.is_admin and user.has_password


def test_create_user_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["lms", "create-user", "a@example.org", "--name", "A"], input="short\n")
    assert result.exit_code != 0
    assert "10 characters or more" in result.output


def test_demo_prints_generated_passwords_that_work(app, client):
    result = app.test_cli_runner().invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    logins = re.findall(r"(\S+@example\.org)\s+(\S+)", result.output)
    assert {email for email, _ in logins} >= {"trainee@example.org", "trainer@example.org", "coordinator@example.org", "admin@example.org"}
    from tests.conftest import post_form

    email, password = logins[0]
    assert post_form(client, "/login", {"email": email, "password": password}).status_code == 302


def test_demo_passwords_differ_between_loads(app):
    from tests.conftest import empty_tables

    first = app.test_cli_runner().invoke(args=["lms", "demo"]).output
    db.session.remove()
    empty_tables()
    second = app.test_cli_runner().invoke(args=["lms", "demo"]).output
    assert re.findall(r"example\.org\s+(\S+)", first) != re.findall(r"example\.org\s+(\S+)", second)


def test_demo_if_empty_keeps_existing_data(app, make_user):
    make_user(email="keep@example.org")
    result = app.test_cli_runner().invoke(args=["lms", "demo", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 1

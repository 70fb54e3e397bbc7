import pytest
from werkzeug.security import check_password_hash

from lms.auth.passwords import hash_password, password_problem
from lms.config import Config, ProductionConfig
from tests.conftest import link_in, outbox, parse, post_form


def reset_link(client, user):
    post_form(client, "/password/reset", {"email": user.email})
    return link_in(outbox()[-1], "/password/reset/")


def choose(client, link, password):
    return post_form(client, link, {"password": password, "confirm": password})


def test_password_shorter_than_10_characters_is_refused(client, make_user):
    link = reset_link(client, make_user())
    page = parse(choose(client, link, "short pw1"))
    assert page.field_error("password") == "Password must be 10 characters or more"


def test_common_password_is_refused_whatever_its_case(client, make_user):
    link = reset_link(client, make_user())
    page = parse(choose(client, link, "Password123"))
    assert page.field_error("password").startswith("Password is too common")


def test_no_composition_rules_apply(client, make_user):
    link = reset_link(client, make_user())
    assert choose(client, link, "lowercase words only here").status_code == 302


def test_long_password_is_used_exactly_as_typed(client, make_user):
    user = make_user()
    link = reset_link(client, user)
    long_password = "  Ünïcode passphrase with spaces, 64+ characters long, kept as typed!  "
    assert len(long_password) > 64
    assert choose(client, link, long_password).status_code == 302
    assert post_form(client, "/login", {"email": user.email, "password": long_password}).status_code == 302
    assert post_form(client, "/login", {"email": user.email, "password": long_password.strip()}).status_code == 200


def test_mismatched_confirmation_is_explained(client, make_user):
    link = reset_link(client, make_user())
    page = parse(post_form(client, link, {"password": "first passphrase", "confirm": "second passphrase"}))
    assert page.field_error("confirm") == "Passwords do not match"


def test_password_that_is_the_email_is_refused(app):
    assert password_problem("someone@example.org", email="someone@example.org") == (
        "Password must not be your name or email address"
    )


def test_production_hashing_meets_owasp_scrypt_guidance(app):
    method = ProductionConfig.PASSWORD_HASH_METHOD
    assert method == Config.PASSWORD_HASH_METHOD
    name, n, r, p = method.split(":")
    assert name == "scrypt" and int(n) >= 2**17 and int(r) == 8 and int(p) == 1
    app.config["PASSWORD_HASH_METHOD"] = method
    try:
        hashed = hash_password("a real passphrase")
    finally:
        app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    assert hashed.startswith("scrypt:131072:8:1$")
    assert check_password_hash(hashed, "a real passphrase")


@pytest.mark.parametrize("password", ["qwertyuiop", "1234567890", "aaaaaaaaaaaa", "ababababababab"])
def test_trivial_passwords_are_refused(app, password):
    assert password_problem(password) is not None

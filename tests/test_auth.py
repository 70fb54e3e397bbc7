import time

from lms.auth.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from lms.extensions import db
from lms.models.audit import AuditEvent
from lms.models.user import User
from tests.conftest import csrf_token, link_in, outbox, parse, post_form, sign_in


def audit_actions() -> list[str]:
    db.session.rollback()
    return [event.action for event in db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id)).scalars()]


def test_sign_in_with_correct_password_redirects_home(client, make_user):
    user = make_user()
    response = post_form(client, "/login", {"email": user.email.upper(), "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "sign_in" in audit_actions()


def test_unknown_email_and_wrong_password_get_the_same_response(client, make_user):
    user = make_user()
    wrong_password = parse(post_form(client, "/login", {"email": user.email, "password": "not the password at all"}))
    unknown_email = parse(post_form(client, "/login", {"email": "nobody@example.org", "password": "not the password at all"}))
    assert wrong_password.status == unknown_email.status == 200
    assert wrong_password.error_summary() == unknown_email.error_summary()
    assert wrong_password.field_error("email") == unknown_email.field_error("email") == "Enter a correct email address and password"
    assert wrong_password.title.startswith("Error: ")


def test_failed_sign_in_keeps_the_email_typed_and_is_audited(client, make_user):
    user = make_user()
    page = parse(post_form(client, "/login", {"email": user.email, "password": "wrong password here"}))
    assert page.soup.find("input", id="email")["value"] == user.email
    assert page.soup.find("input", id="password").get("value") is None
    assert audit_actions() == ["sign_in_failed"]


def test_empty_sign_in_form_explains_each_field(client):
    page = parse(post_form(client, "/login", {"email": "", "password": ""}))
    assert page.error_summary() == ["Enter your email address", "Enter your password"]
    assert page.soup.select_one(".nhsuk-error-summary__list a")["href"] == "#email"


def test_deactivated_account_cannot_sign_in(client, make_user):
    user = make_user(active=False)
    page = parse(post_form(client, "/login", {"email": user.email, "password": "correct horse battery staple"}))
    assert page.field_error("email") == "Enter a correct email address and password"


def test_sign_in_clears_the_session_it_started_with(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:{user.session_token}"


def test_next_parameter_accepts_local_paths_only(client, make_user):
    user = make_user()
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]:
        response = post_form(client, f"/login?next={target}", {"email": user.email, "password": "correct horse battery staple"})
        assert response.headers["Location"] == "/", target
        post_form(client, "/logout")
    response = post_form(client, "/login?next=/account", {"email": user.email, "password": "correct horse battery staple"})
    assert response.headers["Location"] == "/account"


def test_signed_out_visitor_is_sent_to_sign_in_and_back(client, make_user):
    user = make_user()
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/account"
    response = post_form(client, "/login?next=/account", {"email": user.email, "password": "correct horse battery staple"})
    assert response.headers["Location"] == "/account"


def test_cookie_captured_before_sign_out_no_longer_works(app, make_user):
    user = make_user()
    client = app.test_client()
    sign_in(client, user)
    captured = client.get_cookie("lms_session").value
    assert client.get("/account").status_code == 200
    post_form(client, "/logout")
    attacker = app.test_client()
    attacker.set_cookie("lms_session", captured)
    assert attacker.get("/account").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user)
    response = post_form(
        laptop,
        "/account/password",
        {"current_password": "correct horse battery staple", "password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302
    assert "password_changed" in audit_actions()


def test_wrong_current_password_is_shown_next_to_the_field(client, make_user):
    user = make_user()
    sign_in(client, user)
    page = parse(post_form(client, "/account/password", {"current_password": "nope nope nope", "password": "a brand new passphrase", "confirm": "a brand new passphrase"}))
    assert page.field_error("current_password") == "Your current password is not correct"


def test_session_expires_after_30_minutes_idle(client, make_user):
    user = make_user()
    sign_in(client, user)
    with client.session_transaction() as session:
        session[LAST_SEEN_AT] = int(time.time()) - 31 * 60
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.get("/account").status_code == 302


def test_session_ends_12_hours_after_sign_in_even_when_active(client, make_user):
    user = make_user()
    sign_in(client, user)
    with client.session_transaction() as session:
        session[SIGNED_IN_AT] = int(time.time()) - 12 * 3600 - 1
    assert client.get("/account").status_code == 302


def test_activity_within_the_idle_limit_keeps_the_session(client, make_user):
    user = make_user()
    sign_in(client, user)
    with client.session_transaction() as session:
        session[LAST_SEEN_AT] = int(time.time()) - 29 * 60
    assert client.get("/account").status_code == 200


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user()
    response = sign_in(client, user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_password_reset_link_works_once(client, make_user):
    user = make_user()
    post_form(client, "/password/reset", {"email": user.email})
    [message] = outbox()
    link = link_in(message, "/password/reset/")
    assert parse(client.get(link)).h1 == "Choose a new password"
    response = post_form(client, link, {"password": "another good passphrase", "confirm": "another good passphrase"})
    assert response.status_code == 302
    assert client.get(link).status_code == 404
    response = post_form(client, "/login", {"email": user.email, "password": "another good passphrase"})
    assert response.status_code == 302


def test_password_reset_link_expires_after_an_hour(client, make_user, monkeypatch):
    user = make_user()
    post_form(client, "/password/reset", {"email": user.email})
    link = link_in(outbox()[0], "/password/reset/")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3601)
    page = parse(client.get(link))
    assert page.status == 404
    assert page.h1 == "This link has expired or has already been used"


def test_reset_request_for_unknown_email_looks_the_same_and_sends_nothing(client, make_user):
    user = make_user()
    known = parse(post_form(client, "/password/reset", {"email": user.email}))
    unknown = parse(post_form(client, "/password/reset", {"email": "nobody@example.org"}))
    assert known.status == unknown.status == 200
    assert known.h1 == unknown.h1 == "Check your email"
    assert len(outbox()) == 1


def test_reset_ends_existing_sessions(app, make_user):
    user = make_user()
    other = app.test_client()
    sign_in(other, user)
    client = app.test_client()
    post_form(client, "/password/reset", {"email": user.email})
    link = link_in(outbox()[0], "/password/reset/")
    post_form(client, link, {"password": "another good passphrase", "confirm": "another good passphrase"})
    assert other.get("/account").status_code == 302


def test_tampered_reset_token_is_refused(client, make_user):
    user = make_user()
    post_form(client, "/password/reset", {"email": user.email})
    link = link_in(outbox()[0], "/password/reset/")
    assert client.get(link[:-3] + "abc").status_code == 404


def test_invitation_sets_name_and_password_and_signs_in(client, make_user):
    admin = make_user(roles=["admin"])
    sign_in(client, admin)
    post_form(client, "/admin/users/invite", {"name": "Nia Newcomer", "email": "nia@example.org"})
    post_form(client, "/logout")
    link = link_in(outbox()[0], "/invitations/")
    newcomer = app_client = client
    page = parse(newcomer.get(link))
    assert page.soup.find("input", id="name")["value"] == "Nia Newcomer"
    response = post_form(app_client, link, {"name": "Nia Newcomer-Jones", "password": "plenty long passphrase", "confirm": "plenty long passphrase"})
    assert response.status_code == 302
    assert parse(client.get("/account")).text.count("Nia Newcomer-Jones") >= 1
    assert client.get(link).status_code == 404


def test_csrf_token_from_another_session_is_refused(app, make_user):
    first, second = app.test_client(), app.test_client()
    token = csrf_token(first)
    csrf_token(second)
    page = parse(second.post("/password/reset", data={"email": "a@example.org", "csrf_token": token}))
    assert page.status == 400
    assert page.h1 == "There was a problem with your request"


def test_post_without_csrf_token_gets_the_400_page(client):
    page = parse(client.post("/login", data={"email": "a@example.org", "password": "whatever123"}))
    assert page.status == 400
    assert "Go back, reload the page" in page.text


def test_user_record_is_unchanged_by_a_failed_sign_in(client, make_user):
    user = make_user()
    token = user.session_token
    post_form(client, "/login", {"email": user.email, "password": "wrong password here"})
    db.session.rollback()
    assert db.session.get(User, user.id).session_token == token

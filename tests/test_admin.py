import pytest

from lms.admin import service
from lms.errors import NotAllowed
from lms.extensions import db
from lms.models.audit import AuditEvent
from lms.models.base import AppendOnlyViolation
from lms.models.user import User
from tests.conftest import outbox, parse, post_form, sign_in


def reload(user):
    db.session.rollback()
    return db.session.get(User, user.id)


def last_event():
    db.session.rollback()
    return db.session.execute(db.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()


def test_admin_can_search_users_by_name_or_email(client, make_user):
    admin = make_user(roles=["admin"], name="Ada Admin")
    make_user(name="Bola Brown", email="bola@trust.nhs.uk")
    make_user(name="Chen Chow", email="chen@icb.nhs.uk")
    sign_in(client, admin)
    page = parse(client.get("/admin/users?q=TRUST"))
    names = [a.get_text(strip=True) for a in page.soup.select("tbody a")]
    assert names == ["Bola Brown"]
    assert "1 user matching" in page.text


def test_admin_invites_a_user_with_a_role(client, make_user):
    sign_in(client, make_user(roles=["admin"]))
    response = post_form(client, "/admin/users/invite", {"name": "Cora New", "email": "Cora@Example.org", "roles": ["coordinator"]})
    assert response.status_code == 302
    invited = db.session.execute(db.select(User).filter_by(email="cora@example.org")).scalar_one()
    assert invited.is_coordinator and not invited.has_password
    [message] = outbox()
    assert message["To"] == "cora@example.org"
    assert last_event().action == "user_invited"


def test_inviting_an_existing_email_is_explained_next_to_the_field(client, make_user):
    sign_in(client, make_user(roles=["admin"]))
    make_user(email="taken@example.org")
    page = parse(post_form(client, "/admin/users/invite", {"name": "Someone", "email": "taken@example.org"}))
    assert page.field_error("email") == "An account with this email address already exists"
    assert page.soup.find("input", id="name")["value"] == "Someone"


def test_invite_form_validates_each_field(client, make_user):
    sign_in(client, make_user(roles=["admin"]))
    page = parse(post_form(client, "/admin/users/invite", {"name": " ", "email": "not-an-email"}))
    assert page.error_summary() == [
        "Enter the person's full name",
        "Enter an email address in the correct format, like name@example.com",
    ]


def test_granting_and_removing_a_role_is_audited(client, make_user):
    admin = make_user(roles=["admin"])
    person = make_user()
    sign_in(client, admin)
    post_form(client, f"/admin/users/{person.id}/roles", {"role": "coordinator", "granted": "yes"})
    assert reload(person).is_coordinator
    event = last_event()
    assert (event.action, event.actor_id, event.detail["role"]) == ("role_granted", admin.id, "coordinator")
    post_form(client, f"/admin/users/{person.id}/roles", {"role": "coordinator", "granted": "no"})
    assert not reload(person).is_coordinator
    assert last_event().action == "role_removed"


def test_unknown_role_is_refused_without_a_500(client, make_user):
    admin = make_user(roles=["admin"])
    person = make_user()
    sign_in(client, admin)
    response = post_form(client, f"/admin/users/{person.id}/roles", {"role": "superuser", "granted": "yes"})
    assert response.status_code == 400


def test_admin_cannot_remove_their_own_admin_role(client, make_user):
    admin = make_user(roles=["admin"])
    sign_in(client, admin)
    page = parse(post_form(client, f"/admin/users/{admin.id}/roles", {"role": "admin", "granted": "no"}))
    assert page.status == 400
    assert "You cannot remove your own admin role" in page.error_summary()[0]
    assert reload(admin).is_admin


def test_deactivation_ends_the_persons_sessions_and_is_audited(app, make_user):
    admin, person = make_user(roles=["admin"]), make_user()
    their_client = app.test_client()
    sign_in(their_client, person)
    admin_client = app.test_client()
    sign_in(admin_client, admin)
    post_form(admin_client, f"/admin/users/{person.id}/active", {"active": "no"})
    assert their_client.get("/account").status_code == 302
    assert not reload(person).active
    assert last_event().action == "user_deactivated"


def test_unknown_user_id_is_404(client, make_user):
    sign_in(client, make_user(roles=["admin"]))
    assert client.get("/admin/users/99999").status_code == 404


def test_service_refuses_a_non_admin_even_without_http(make_user):
    coordinator, person = make_user(roles=["coordinator"]), make_user()
    with pytest.raises(NotAllowed):
        service.set_role(actor=coordinator, user=person, role="admin", granted=True, ip=None)


def test_audit_log_page_lists_sign_in_failures(client, make_user):
    admin = make_user(roles=["admin"])
    post_form(client, "/login", {"email": "someone@example.org", "password": "wrong password here"})
    sign_in(client, admin)
    page = parse(client.get("/admin/audit?action=sign_in_failed"))
    assert "sign in failed" in page.text
    assert "someone@example.org" in page.text


def test_audit_events_cannot_be_updated_or_deleted(make_user):
    from lms import audit

    event = audit.record("sign_in", actor=make_user())
    db.session.commit()
    event.action = "something_else"
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()

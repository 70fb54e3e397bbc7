"""Interest rules without HTTP: registering, duplicates, the status workflow, history, digests."""
from datetime import timedelta

import pytest

from lms.content.render import render_user_markdown
from lms.csv_export import neutralise
from lms.errors import InvalidInput, NotAllowed
from lms.extensions import db
from lms.interest import service
from lms.models.audit import AuditEvent
from lms.models.base import AppendOnlyViolation, utcnow
from lms.models.interest import InterestDigest, InterestEvent, InterestRegistration
from tests.conftest import outbox
from tests.interest_support import days_ago, registrations

ANSWERS = dict(
    programme="train-the-trainer", organisation_name="Moorside ICB", organisation_type="icb",
    region="north-east-and-yorkshire", contact_name="Gareth Ellis", job_title="OD Lead",
    email="gareth@moorside.nhs.uk", participants=6, preferred_format="online", timeframe="not-sure", consent=True,
)


def register(key="k" * 24, **overrides):
    return service.register_interest(idempotency_key=key, **{**ANSWERS, **overrides})


def events_of(registration):
    db.session.rollback()
    return list(db.session.execute(
        db.select(InterestEvent).filter_by(registration_id=registration.id).order_by(InterestEvent.id)
    ).scalars())


def test_registering_records_a_registered_event_and_returns_created(app):
    registration, created = register()
    assert created
    assert [(e.kind, e.to_status) for e in events_of(registration)] == [("registered", "new")]


def test_registering_again_with_the_same_key_returns_the_first_registration(app):
    first, _ = register()
    again, created = register(organisation_name="Changed on resubmit")
    assert not created and again.id == first.id
    assert len(registrations()) == 1


def test_a_reference_collision_is_retried_with_a_new_reference(app, monkeypatch, make_registration):
    taken = make_registration(reference="HLM-AAAAAA")
    choices = iter(["HLM-AAAAAA", "HLM-BBBBBB"])
    monkeypatch.setattr(service, "new_reference", lambda: next(choices))
    registration, created = register()
    assert created and registration.reference == "HLM-BBBBBB" and registration.id != taken.id


def test_the_service_refuses_values_the_form_would_not_offer(app):
    with pytest.raises(InvalidInput) as error:
        register(region="atlantis")
    assert error.value.field == "region"
    with pytest.raises(InvalidInput):
        register(participants=501)
    with pytest.raises(InvalidInput):
        register(consent=False)


def test_same_email_and_programme_within_30_days_is_flagged_as_a_possible_duplicate(app, make_registration):
    earlier = make_registration(email="gareth@moorside.nhs.uk", programme="train-the-trainer", created_at=days_ago(29))
    registration, _ = register(email="Gareth@Moorside.NHS.uk")
    assert registration.possible_duplicate_of_id == earlier.id


def test_same_email_after_30_days_is_not_flagged(app, make_registration):
    make_registration(email="gareth@moorside.nhs.uk", programme="train-the-trainer", created_at=days_ago(31))
    registration, _ = register()
    assert registration.possible_duplicate_of_id is None


def test_same_email_for_the_other_programme_is_not_flagged(app, make_registration):
    make_registration(email="gareth@moorside.nhs.uk", programme="facilitator")
    registration, _ = register()
    assert registration.possible_duplicate_of_id is None


def test_a_mail_failure_never_loses_the_registration(app, monkeypatch):
    def broken(**_):
        raise OSError("SMTP relay down")

    monkeypatch.setattr(service, "send_email", broken)
    registration, created = register()
    assert created and len(registrations()) == 1


@pytest.mark.parametrize("path", [
    ["contacted", "scheduled", "converted"],
    ["contacted", "declined", "contacted"],
    ["stalled", "contacted", "scheduled", "stalled", "declined"],
])
def test_allowed_status_paths_are_followed_and_each_step_is_in_the_history(app, make_user, make_registration, path):
    coordinator = make_user(roles=["coordinator"])
    registration = make_registration()
    before = "new"
    for status in path:
        service.change_status(actor=coordinator, registration=registration, expected_status=before, to_status=status)
        before = status
    steps = [(e.from_status, e.to_status) for e in events_of(registration) if e.kind == "status"]
    assert steps == list(zip(["new"] + path, path))
    assert db.session.get(InterestRegistration, registration.id).status == path[-1]


@pytest.mark.parametrize("start,target", [("new", "converted"), ("new", "scheduled"), ("converted", "new"), ("new", "new"), ("new", "bogus")])
def test_a_transition_outside_the_workflow_is_refused(app, make_user, make_registration, start, target):
    registration = make_registration(status=start)
    with pytest.raises(InvalidInput):
        service.change_status(actor=make_user(roles=["coordinator"]), registration=registration, expected_status=start, to_status=target)
    assert db.session.get(InterestRegistration, registration.id).status == start


def test_a_change_based_on_an_out_of_date_status_is_refused(app, make_user, make_registration):
    coordinator = make_user(roles=["coordinator"])
    registration = make_registration()
    service.change_status(actor=coordinator, registration=registration, expected_status="new", to_status="contacted")
    with pytest.raises(InvalidInput, match="Someone else changed the status"):
        service.change_status(actor=coordinator, registration=registration, expected_status="new", to_status="declined")
    assert db.session.get(InterestRegistration, registration.id).status == "contacted"


def test_only_coordinators_may_change_assign_or_note(app, make_user, make_registration):
    registration = make_registration()
    admin = make_user(roles=["admin"])
    with pytest.raises(NotAllowed):
        service.change_status(actor=admin, registration=registration, expected_status="new", to_status="contacted")
    with pytest.raises(NotAllowed):
        service.assign(actor=admin, registration=registration, coordinator_id=admin.id)
    with pytest.raises(NotAllowed):
        service.add_note(actor=make_user(), registration=registration, note="hello")


def test_a_registration_can_only_be_assigned_to_an_active_coordinator(app, make_user, make_registration):
    coordinator = make_user(roles=["coordinator"])
    registration = make_registration()
    with pytest.raises(InvalidInput):
        service.assign(actor=coordinator, registration=registration, coordinator_id=make_user().id)
    with pytest.raises(InvalidInput):
        service.assign(actor=coordinator, registration=registration, coordinator_id=make_user(roles=["coordinator"], active=False).id)
    service.assign(actor=coordinator, registration=registration, coordinator_id=coordinator.id)
    assert [(e.kind, e.assigned_to_id) for e in events_of(registration)][-1] == ("assigned", coordinator.id)


def test_history_events_cannot_be_updated_or_deleted(app, make_user, make_registration):
    registration = make_registration()
    service.add_note(actor=make_user(roles=["coordinator"]), registration=registration, note="Spoke to Priya")
    event = events_of(registration)[-1]
    event.note = "rewritten"
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(InterestEvent, event.id))
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()


def test_status_changes_are_in_the_audit_log(app, make_user, make_registration):
    coordinator = make_user(roles=["coordinator"])
    registration = make_registration()
    service.change_status(actor=coordinator, registration=registration, expected_status="new", to_status="contacted", ip="127.0.0.1")
    event = db.session.execute(db.select(AuditEvent).filter_by(action="interest_status_changed")).scalar_one()
    assert (event.actor_id, event.detail) == (coordinator.id, {"from_status": "new", "to_status": "contacted"})


# --- digest ---------------------------------------------------------------------------------------


def test_the_digest_emails_each_active_coordinator_the_new_registrations(app, make_user, make_registration):
    make_user(roles=["coordinator"], email="cora@example.org")
    make_user(roles=["coordinator"], email="gone@example.org", active=False)
    make_user(email="trainee@example.org")
    first, second = make_registration(), make_registration()
    result = service.send_interest_digest()
    assert result.sent
    [message] = outbox()
    assert message["To"] == "cora@example.org"
    body = message.get_payload(decode=True).decode()
    assert first.reference in body and second.reference in body
    assert f"/coordinator/interest/{first.id}" in body


def test_the_digest_never_sends_more_than_once_an_hour(app, make_user, make_registration):
    make_user(roles=["coordinator"])
    make_registration()
    assert service.send_interest_digest().sent
    make_registration()
    result = service.send_interest_digest(now=utcnow() + timedelta(minutes=59))
    assert not result.sent and "less than an hour ago" in result.reason
    assert len(outbox()) == 1


def test_the_next_digest_sends_only_what_the_last_did_not(app, make_user, make_registration):
    make_user(roles=["coordinator"])
    first = make_registration()
    service.send_interest_digest()
    second = make_registration()
    result = service.send_interest_digest(now=utcnow() + timedelta(minutes=61))
    assert [r.id for r in result.registrations] == [second.id]
    body = outbox()[-1].get_payload(decode=True).decode()
    assert second.reference in body and first.reference not in body


def test_no_digest_is_sent_when_there_is_nothing_new(app, make_user):
    make_user(roles=["coordinator"])
    result = service.send_interest_digest()
    assert not result.sent and outbox() == []
    assert db.session.execute(db.select(db.func.count(InterestDigest.id))).scalar_one() == 0


def test_a_digest_that_fails_to_send_leaves_the_registrations_for_the_next_one(app, make_user, make_registration, monkeypatch):
    make_user(roles=["coordinator"])
    registration = make_registration()

    def broken(**_):
        raise OSError("SMTP relay down")

    monkeypatch.setattr(service, "send_email", broken)
    with pytest.raises(OSError):
        service.send_interest_digest()
    db.session.rollback()
    assert db.session.get(InterestRegistration, registration.id).digest_id is None


# --- helpers shared with other features -----------------------------------------------------------


@pytest.mark.parametrize("value,expected", [
    ("=1+2", "'=1+2"), ("+44", "'+44"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("\nx", "'\nx"), ("plain", "plain"), ("a=b", "a=b"), (12, "12"), (None, ""),
])
def test_spreadsheet_formulas_are_neutralised(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("markdown_text,present,absent", [
    ("**bold** and _em_", "<strong>bold</strong>", None),
    ("<script>alert(1)</script>", None, "<script"),
    ("[x](javascript:alert(1))", "<a", "javascript:"),
    ("<img src=x onerror=alert(1)>", None, "<img"),
    ("[link](https://nhs.uk)", 'rel="nofollow noopener"', None),
    ("<!-- secret -->visible", "visible", "secret"),
    ("# Big heading", None, "<h1"),
    ('<a href="https://x.example" onclick="steal()">x</a>', "https://x.example", "onclick"),
])
def test_user_markdown_keeps_only_the_allowlist(markdown_text, present, absent):
    html = str(render_user_markdown(markdown_text))
    if present:
        assert present in html
    if absent:
        assert absent not in html

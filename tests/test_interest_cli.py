"""`lms anonymise-interest` and `lms send-interest-digest`."""
from lms.extensions import db
from lms.models.audit import AuditEvent
from lms.models.interest import InterestEvent, InterestRegistration
from tests.conftest import outbox
from tests.interest_support import days_ago

PERSONAL = ("contact_name", "job_title", "email", "phone", "message")


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["lms", *args])
    db.session.rollback()
    return result


def fresh(registration):
    return db.session.get(InterestRegistration, registration.id)


def closed_and_old(make_registration, **overrides):
    return make_registration(
        status="declined", created_at=days_ago(25 * 31), phone="01632 960 001", message="Ring Priya on Tuesdays",
        ods_code="RR8", **overrides,
    )


def test_anonymise_blanks_personal_fields_of_old_closed_registrations(app, make_registration):
    registration = closed_and_old(make_registration)
    result = run(app, "anonymise-interest")
    assert result.exit_code == 0, result.output
    after = fresh(registration)
    assert all(getattr(after, name) is None for name in PERSONAL)
    assert after.anonymised_at is not None
    assert (after.organisation_name, after.programme, after.region, after.participants, after.status, after.ods_code) == (
        registration.organisation_name, "facilitator", "london", 10, "declined", "RR8"
    )
    assert registration.reference in result.output


def test_anonymise_keeps_history_rows_but_blanks_note_text(app, make_user, make_registration):
    registration = closed_and_old(make_registration)
    coordinator = make_user(roles=["coordinator"])
    db.session.add(InterestEvent(registration_id=registration.id, actor_id=coordinator.id, kind="note", note="Priya's mobile is 07700 900 982"))
    db.session.commit()
    run(app, "anonymise-interest")
    events = db.session.execute(db.select(InterestEvent).filter_by(registration_id=registration.id).order_by(InterestEvent.id)).scalars().all()
    assert [e.kind for e in events] == ["registered", "note", "anonymised"]
    assert events[1].actor_id == coordinator.id and events[1].note is None


def test_anonymise_leaves_open_and_recent_registrations_alone(app, make_registration):
    open_old = make_registration(status="contacted", created_at=days_ago(30 * 31))
    closed_recent = make_registration(status="converted", created_at=days_ago(30))
    run(app, "anonymise-interest")
    assert fresh(open_old).email is not None and fresh(closed_recent).email is not None


def test_anonymise_takes_the_number_of_months(app, make_registration):
    registration = make_registration(status="stalled", created_at=days_ago(100))
    run(app, "anonymise-interest", "--older-than-months", "6")
    assert fresh(registration).email is not None
    run(app, "anonymise-interest", "--older-than-months", "3")
    assert fresh(registration).email is None


def test_anonymise_dry_run_prints_what_would_change_and_changes_nothing(app, make_registration):
    registration = closed_and_old(make_registration)
    result = run(app, "anonymise-interest", "--dry-run")
    assert result.exit_code == 0
    assert "Would anonymise 1 closed registration" in result.output and registration.reference in result.output
    assert "Dry run: nothing was changed." in result.output
    assert fresh(registration).email == registration.email
    assert db.session.execute(db.select(AuditEvent).filter_by(action="interest_anonymised")).first() is None


def test_anonymise_records_itself_in_the_audit_log(app, make_registration):
    registration = closed_and_old(make_registration)
    run(app, "anonymise-interest", "--older-than-months", "24")
    event = db.session.execute(db.select(AuditEvent).filter_by(action="interest_anonymised")).scalar_one()
    assert event.detail["count"] == 1 and event.detail["references"] == [registration.reference]
    assert event.detail["older_than_months"] == 24


def test_anonymise_refuses_a_period_under_one_month(app):
    assert run(app, "anonymise-interest", "--older-than-months", "0").exit_code != 0


def test_running_anonymise_twice_changes_nothing_the_second_time(app, make_registration):
    closed_and_old(make_registration)
    run(app, "anonymise-interest")
    assert "Anonymised 0 closed registration" in run(app, "anonymise-interest").output


def test_digest_command_sends_once_and_says_why_it_does_not_send_again(app, make_user, make_registration):
    make_user(roles=["coordinator"])
    make_registration()
    first = run(app, "send-interest-digest")
    assert "Sent a digest of 1 registration(s) to 1 coordinator(s)." in first.output
    second = run(app, "send-interest-digest")
    assert "No digest sent" in second.output
    assert len(outbox()) == 1

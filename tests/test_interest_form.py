"""The public interest form at /interest: questions, validation, confirmation and abuse controls."""
import pytest

from lms.extensions import db
from lms.models.audit import AuditEvent
from tests.conftest import outbox, parse
from tests.interest_support import VALID_ANSWERS, form_tokens, registrations, submit_interest


def test_home_page_links_to_the_interest_form(client):
    page = parse(client.get("/"))
    assert page.soup.find("a", href="/interest")


def test_form_asks_every_question_with_labels(client):
    page = parse(client.get("/interest"))
    labels = " ".join(label.get_text(" ", strip=True) for label in page.soup.select("label, legend"))
    for question in [
        "Which programme are you interested in?", "Organisation name", "Type of organisation", "NHS England region",
        "ODS code (optional)", "Full name", "Job title", "Work email address", "Phone number (optional)",
        "Number of prospective participants", "How would you prefer the training to run?",
        "When would you like the training to start?", "Anything else you would like to tell us (optional)",
        "I agree to be contacted about this registration",
    ]:
        assert question in labels
    assert page.soup.find("a", href="/privacy")


def test_honeypot_field_is_hidden_out_of_tab_order_and_labelled_to_be_left_empty(client):
    page = parse(client.get("/interest"))
    honeypot = page.soup.find("input", attrs={"name": "hlm_check"})
    assert honeypot["tabindex"] == "-1" and honeypot["autocomplete"] == "off"
    assert "app-honeypot" in honeypot.parent["class"]
    assert page.soup.find("label", attrs={"for": honeypot["id"]}).get_text(strip=True) == "Leave this field empty"


def test_a_complete_registration_redirects_to_a_confirmation_with_its_reference(client):
    response = submit_interest(client)
    assert response.status_code == 302
    [registration] = registrations()
    assert response.headers["Location"] == f"/interest/confirmation/{registration.reference}"
    page = parse(client.get(response.headers["Location"]))
    assert page.h1 == "Registration received"
    assert page.soup.find(id="reference").get_text() == registration.reference
    assert "priya" not in page.text.lower()


def test_the_registration_stores_every_answer(client):
    submit_interest(client, email="Priya.Shah@Northshire.NHS.uk", ods_code=" rr8 ", message="Line one\r\nLine two")
    [registration] = registrations()
    assert (registration.programme, registration.organisation_type, registration.region) == ("facilitator", "nhs-trust", "north-west")
    assert (registration.email, registration.ods_code, registration.participants) == ("priya.shah@northshire.nhs.uk", "RR8", 24)
    assert registration.message == "Line one\nLine two"
    assert registration.status == "new" and registration.consented_at is not None


def test_reference_looks_like_hlm_and_six_unambiguous_characters(client):
    submit_interest(client)
    [registration] = registrations()
    prefix, code = registration.reference.split("-")
    assert prefix == "HLM" and len(code) == 6 and not set(code) & set("01ILOUV")


def test_the_contact_gets_a_confirmation_email_with_the_reference(client):
    submit_interest(client)
    [registration] = registrations()
    [message] = outbox()
    assert message["To"] == "priya.shah@northshire.nhs.uk"
    assert registration.reference in message["Subject"]
    assert registration.reference in message.get_payload(decode=True).decode()


def test_confirmation_page_is_only_shown_to_the_browser_that_registered(app, client):
    location = submit_interest(client).headers["Location"]
    assert client.get(location).status_code == 200
    assert app.test_client().get(location).status_code == 404


def test_confirmation_for_an_unknown_reference_is_not_found(client):
    assert client.get("/interest/confirmation/HLM-AAAAAA").status_code == 404


def test_submitting_the_same_form_twice_creates_one_registration_and_the_same_confirmation(client):
    tokens = form_tokens(client)
    first = submit_interest(client, tokens)
    second = submit_interest(client, tokens)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(registrations()) == 1
    assert len(outbox()) == 1


def test_a_fresh_form_from_the_same_email_within_30_days_is_stored_and_flagged(client):
    submit_interest(client)
    submit_interest(client)
    first, second = registrations()
    assert first.possible_duplicate_of_id is None
    assert second.possible_duplicate_of_id == first.id


def test_empty_form_lists_every_required_question_in_order(client):
    tokens = form_tokens(client)
    page = parse(client.post("/interest", data={**tokens}))
    assert page.title.startswith("Error: ")
    assert page.error_summary() == [
        "Select the programme you are interested in",
        "Enter your organisation's name",
        "Select the type of organisation",
        "Select your NHS England region",
        "Enter your full name",
        "Enter your job title",
        "Enter your work email address",
        "Enter the number of participants",
        "Select how you would prefer the training to run",
        "Select when you would like the training to start",
        "Confirm that we can contact you about this registration",
    ]
    assert registrations() == []


def test_error_summary_links_go_to_the_fields(client):
    page = parse(client.post("/interest", data=form_tokens(client)))
    for link in page.soup.select(".nhsuk-error-summary__list a"):
        assert page.soup.find(id=link["href"][1:]) is not None, link["href"]


BAD_INPUT = [
    ("organisation_name", "   ", "Enter your organisation's name"),
    ("organisation_name", "x" * 201, "Organisation name must be 200 characters or fewer"),
    ("contact_name", "x" * 201, "Full name must be 200 characters or fewer"),
    ("job_title", "x" * 201, "Job title must be 200 characters or fewer"),
    ("email", "not an email", "Enter an email address in the correct format, like name@example.com"),
    ("email", "<script>@x", "Enter an email address in the correct format, like name@example.com"),
    ("email", "a" * 250 + "@example.org", "Email address must be 254 characters or fewer"),
    ("ods_code", "R!8", "Enter an ODS code in the correct format, like RR8 or A81001"),
    ("ods_code", "ABCDEFGH", "Enter an ODS code in the correct format, like RR8 or A81001"),
    ("phone", "12345", "Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
    ("phone", "+1 212 555 0100", "Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
    ("phone", "=1+2", "Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
    ("participants", "0", "Number of participants must be between 1 and 500"),
    ("participants", "501", "Number of participants must be between 1 and 500"),
    ("participants", "-3", "Number of participants must be a whole number, like 12"),
    ("participants", "twelve", "Number of participants must be a whole number, like 12"),
    ("participants", "1.5", "Number of participants must be a whole number, like 12"),
    ("participants", "١٢", "Number of participants must be a whole number, like 12"),
    ("participants", "99999999999999999999999", "Number of participants must be a whole number, like 12"),
    ("message", "x" * 2001, "Anything else must be 2,000 characters or fewer"),
]


@pytest.mark.parametrize("field,value,message", BAD_INPUT, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(BAD_INPUT)])
def test_bad_input_gets_a_clear_message_next_to_the_field_and_keeps_what_was_typed(client, field, value, message):
    page = parse(submit_interest(client, **{field: value}))
    assert page.field_error(field) == message
    assert message in page.error_summary()
    typed = page.soup.find(id=field)
    shown = typed.get_text() if typed.name == "textarea" else typed.get("value", "")
    assert shown.strip() == value.strip()
    assert registrations() == []


@pytest.mark.parametrize("field,value", [
    ("programme", "everything"), ("organisation_type", "<script>"), ("region", "wales"),
    ("preferred_format", "=1+1"), ("timeframe", "yesterday"),
])
def test_a_choice_that_was_not_offered_is_refused_with_the_question_message(client, field, value):
    page = parse(submit_interest(client, **{field: value}))
    assert page.status == 200
    assert page.field_error(field).startswith("Select")
    assert registrations() == []


def test_every_answer_is_kept_when_another_has_an_error(client):
    page = parse(submit_interest(client, email="", message="Keep me\nplease", programme="train-the-trainer", region="london"))
    soup = page.soup
    assert soup.find(id="organisation_name")["value"] == VALID_ANSWERS["organisation_name"]
    assert soup.find("input", attrs={"name": "programme", "value": "train-the-trainer"}).has_attr("checked")
    assert soup.find("select", id="region").find("option", value="london").has_attr("selected")
    assert soup.find(id="participants")["value"] == "24"
    assert soup.find(id="message").get_text().strip() == "Keep me\nplease"
    assert soup.find("input", attrs={"name": "consent"}).has_attr("checked")


def test_line_breaks_count_as_one_character_towards_the_2000_limit(client):
    text = ("x" * 99 + "\r\n") * 20  # 2,000 characters as the browser counts them, 2,020 as sent
    assert submit_interest(client, message=text).status_code == 302
    assert len(registrations()[0].message) == 1999  # the last line break is trimmed


UNUSUAL_TEXT = {
    "organisation_name": "Ysbyty Gŵyr – Bwrdd Iechyd Prifysgol Bae Abertawe 🏥",
    "contact_name": "Siân Rhŷs مريم",
    "job_title": "<script>alert('job')</script>",
    "message": "=HYPERLINK(\"http://evil.example\",\"Click\")\n<b>bold?</b> **not markdown**\nשלום",
}


def test_unicode_html_and_formula_text_is_stored_exactly_as_typed(client):
    assert submit_interest(client, **UNUSUAL_TEXT).status_code == 302
    [registration] = registrations()
    for name, value in UNUSUAL_TEXT.items():
        assert getattr(registration, name) == value


def test_control_characters_are_dropped_rather_than_breaking_the_database(client):
    assert submit_interest(client, organisation_name="Trust\x00 Name\x1b", message="a\x00b\x07c").status_code == 302
    [registration] = registrations()
    assert (registration.organisation_name, registration.message) == ("Trust Name", "abc")


def test_filled_honeypot_gets_the_normal_confirmation_and_nothing_is_stored(client):
    response = submit_interest(client, hlm_check="http://spam.example")
    assert response.status_code == 302
    page = parse(client.get(response.headers["Location"]))
    assert page.h1 == "Registration received"
    assert registrations() == [] and outbox() == []


def test_a_form_sent_faster_than_a_person_could_fill_it_is_treated_as_a_bot(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "INTEREST_MIN_FILL_SECONDS", 3)
    response = submit_interest(client)
    assert response.status_code == 302
    assert parse(client.get(response.headers["Location"])).h1 == "Registration received"
    assert registrations() == []


def test_a_person_who_sends_an_incomplete_form_at_once_sees_what_is_missing(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "INTEREST_MIN_FILL_SECONDS", 3)
    page = parse(submit_interest(client, organisation_name=""))
    assert page.status == 200
    assert "Enter" in page.field_error("organisation_name")
    assert registrations() == []


def test_a_form_filled_in_over_the_minimum_time_is_stored(app, client, monkeypatch):
    tokens = form_tokens(client)
    monkeypatch.setitem(app.config, "INTEREST_MIN_FILL_SECONDS", 3)
    from lms.interest import service

    later = service.utcnow() + __import__("datetime").timedelta(seconds=4)
    monkeypatch.setattr(service, "utcnow", lambda: later)
    assert submit_interest(client, tokens).status_code == 302
    assert len(registrations()) == 1


def test_a_tampered_form_token_asks_to_send_again_and_keeps_the_answers(client):
    tokens = {**form_tokens(client), "form_token": "forged"}
    page = parse(submit_interest(client, tokens))
    assert page.error_summary() == ["This form had expired. Check your answers and send them again"]
    assert page.soup.find(id="organisation_name")["value"] == VALID_ANSWERS["organisation_name"]
    fresh = page.soup.find("input", attrs={"name": "form_token"})["value"]
    assert fresh != "forged"
    assert submit_interest(client, {**tokens, "form_token": fresh}).status_code == 302


def test_a_post_without_a_csrf_token_is_refused(client):
    tokens = form_tokens(client)
    del tokens["csrf_token"]
    assert submit_interest(client, tokens).status_code == 400
    assert registrations() == []


def test_the_eleventh_submission_in_an_hour_from_one_address_gets_the_429_page(client):
    for _ in range(10):
        assert submit_interest(client).status_code == 302
    response = submit_interest(client)
    assert response.status_code == 429
    assert len(registrations()) == 10


def test_forms_returned_with_errors_do_not_use_up_the_hourly_allowance(client):
    for _ in range(12):
        assert submit_interest(client, organisation_name="").status_code == 200
    assert submit_interest(client).status_code == 302


def test_each_registration_is_in_the_audit_log_without_personal_details(client):
    submit_interest(client)
    event = db.session.execute(db.select(AuditEvent).filter_by(action="interest_registered")).scalar_one()
    assert event.detail == {"reference": registrations()[0].reference}

"""The coordinator's interest list, detail page and CSV export."""
import csv
import io

import pytest
import tracemalloc

from flask.testing import FlaskClient
from sqlalchemy import delete, insert

from lms.extensions import db
from lms.models.audit import AuditEvent
from lms.models.interest import InterestEvent, InterestRegistration
from tests.conftest import parse, post_form, sign_in
from tests.querycount import count_queries
from tests.interest_support import days_ago


@pytest.fixture
def coordinator(client, make_user):
    person = make_user(roles=["coordinator"], name="Cora Coordinator")
    sign_in(client, person)
    return person


def references(page) -> list[str]:
    return [row.select_one("td a").get_text(strip=True) for row in page.soup.select("tbody tr")]


def test_anonymous_visitors_are_sent_to_sign_in_and_back(client):
    response = client.get("/coordinator/interest?status=new")
    assert response.headers["Location"] == "/login?next=/coordinator/interest?status%3Dnew"


@pytest.mark.parametrize("roles", [[], ["admin"]])
def test_people_without_the_coordinator_role_get_403(client, make_user, make_registration, roles):
    registration = make_registration()
    sign_in(client, make_user(roles=roles))
    assert client.get("/coordinator/interest").status_code == 403
    assert client.get(f"/coordinator/interest/{registration.id}").status_code == 403
    assert client.get("/coordinator/interest?format=csv").status_code == 403
    assert post_form(client, f"/coordinator/interest/{registration.id}/notes", {"note": "x"}).status_code == 403


def test_list_shows_registrations_newest_first(client, coordinator, make_registration):
    old = make_registration(created_at=days_ago(5))
    new = make_registration(created_at=days_ago(1))
    page = parse(client.get("/coordinator/interest"))
    assert references(page) == [new.reference, old.reference]
    assert "2 registrations" in page.text


FILTERS = [
    ("status=contacted", dict(status="contacted")),
    ("programme=train-the-trainer", dict(programme="train-the-trainer")),
    ("region=south-west", dict(region="south-west")),
    ("organisation_type=hospice", dict(organisation_type="hospice")),
    ("duplicates=yes", "duplicate"),
    ("q=moorside", dict(organisation_name="Moorside ICB")),
    ("q=GARETH", dict(contact_name="Gareth Ellis")),
    ("q=g.ellis%40nhs", dict(email="g.ellis@nhs.net")),
    ("received_from=2020-01-01&received_to=2020-01-31", dict(created_at=days_ago(0).replace(year=2020, month=1, day=15))),
]


@pytest.mark.parametrize("query,match", FILTERS, ids=[q for q, _ in FILTERS])
def test_each_filter_narrows_the_list(client, coordinator, make_registration, query, match):
    make_registration()
    if match == "duplicate":
        first = make_registration()
        wanted = make_registration(possible_duplicate_of_id=first.id)
    else:
        wanted = make_registration(**match)
    page = parse(client.get(f"/coordinator/interest?{query}"))
    assert references(page) == [wanted.reference]


def test_search_finds_a_reference(client, coordinator, make_registration):
    wanted = make_registration()
    make_registration()
    page = parse(client.get(f"/coordinator/interest?q={wanted.reference.lower()}"))
    assert references(page) == [wanted.reference]


def test_search_treats_percent_and_underscore_literally(client, coordinator, make_registration):
    make_registration(organisation_name="Trust A")
    page = parse(client.get("/coordinator/interest?q=%25"))
    assert references(page) == []


def test_assigned_filter_shows_one_coordinators_registrations_or_the_unassigned(client, coordinator, make_registration):
    mine = make_registration(assigned_to_id=coordinator.id)
    nobodys = make_registration()
    assert references(parse(client.get(f"/coordinator/interest?assigned={coordinator.id}"))) == [mine.reference]
    assert references(parse(client.get("/coordinator/interest?assigned=none"))) == [nobodys.reference]


def test_filters_stay_selected_on_the_page(client, coordinator):
    page = parse(client.get("/coordinator/interest?status=stalled&q=trust&duplicates=yes&sort=oldest"))
    assert page.soup.select_one("#filter-status option[selected]")["value"] == "stalled"
    assert page.soup.find(id="filter-q")["value"] == "trust"
    assert page.soup.find(id="filter-duplicates").has_attr("checked")
    assert page.soup.select_one("#filter-sort option[selected]")["value"] == "oldest"


@pytest.mark.parametrize("query", [
    "status=bogus", "region=%3Cscript%3E", "assigned=abc", "assigned=99999999999999999999", "received_from=2024-13-45",
    "received_to=yesterday", "sort=drop+table", "duplicates=maybe", "page=-1", "page=abc", "page=99999999999",
    "q=" + "x" * 5000, "status=new&status=contacted", "q=%00", "q=%F0%9F%8F%A5",
])
def test_invalid_filter_values_never_cause_an_error(client, coordinator, make_registration, query):
    make_registration()
    response = client.get(f"/coordinator/interest?{query}")
    assert response.status_code == 200


def test_ignored_filters_are_named_on_the_page(client, coordinator):
    page = parse(client.get("/coordinator/interest?region=atlantis&sort=sideways"))
    assert "we ignored them: region, sort order" in page.soup.find(id="ignored-filters").get_text(" ", strip=True)


@pytest.mark.parametrize("sort,expected", [
    ("oldest", ["Bravo", "Alpha", "Charlie"]),
    ("organisation", ["Alpha", "Bravo", "Charlie"]),
    ("participants", ["Charlie", "Alpha", "Bravo"]),
])
def test_sorting(client, coordinator, make_registration, sort, expected):
    make_registration(organisation_name="Bravo", created_at=days_ago(3), participants=5)
    make_registration(organisation_name="Alpha", created_at=days_ago(2), participants=50)
    make_registration(organisation_name="Charlie", created_at=days_ago(1), participants=500)
    page = parse(client.get(f"/coordinator/interest?sort={sort}"))
    assert [row.select("td")[2].find("bdi").get_text() for row in page.soup.select("tbody tr")] == expected


def test_pagination_keeps_the_filters(client, coordinator, make_registration):
    for _ in range(51):
        make_registration(region="midlands")
    page = parse(client.get("/coordinator/interest?region=midlands"))
    assert len(references(page)) == 50
    next_link = page.soup.select_one(".nhsuk-pagination__link--next, .nhsuk-pagination-item--next a")
    assert "region=midlands" in next_link["href"] and "page=2" in next_link["href"]
    assert len(references(parse(client.get(next_link["href"])))) == 1


def _bulk_registrations(make_registration, count, coordinator):
    for n in range(count):
        first = make_registration(assigned_to_id=coordinator.id if n % 2 else None)
        if n % 5 == 0:
            make_registration(possible_duplicate_of_id=first.id)


def test_the_list_runs_the_same_small_number_of_queries_for_5_or_60_registrations(client, coordinator, make_registration):
    _bulk_registrations(make_registration, 5, coordinator)
    with count_queries() as few:
        assert client.get("/coordinator/interest").status_code == 200
    _bulk_registrations(make_registration, 55, coordinator)
    with count_queries() as many:
        assert client.get("/coordinator/interest").status_code == 200
    assert len(few) == len(many) <= 5, many


def test_the_detail_page_runs_the_same_number_of_queries_whatever_its_history(client, coordinator, make_registration):
    registration = make_registration()
    with count_queries() as short:
        client.get(f"/coordinator/interest/{registration.id}")
    for n in range(20):
        post_form(client, f"/coordinator/interest/{registration.id}/notes", {"note": f"Note {n}"})
    with count_queries() as long:
        client.get(f"/coordinator/interest/{registration.id}")
    assert len(short) == len(long)


def test_unknown_registration_is_not_found(client, coordinator):
    assert client.get("/coordinator/interest/999999").status_code == 404


def test_public_text_is_shown_escaped_with_line_breaks_and_never_as_markdown(client, coordinator, make_registration):
    registration = make_registration(
        organisation_name="<script>alert('org')</script>",
        message="**not bold**\n<img src=x onerror=alert(1)>\nSecond line ŵ 🙂 مرحبا",
    )
    response = client.get(f"/coordinator/interest/{registration.id}")
    html = response.get_data(as_text=True)
    assert "<script>alert('org')" not in html and "&lt;script&gt;" in html
    page = parse(response)
    message = page.soup.find(id="registration-message")
    assert "app-plain-text" in message["class"]
    assert message.get_text("\n") == "**not bold**\n<img src=x onerror=alert(1)>\nSecond line ŵ 🙂 مرحبا"
    assert len(message.find_all("br")) == 2
    assert message.find("img") is None and message.find("strong") is None


def test_coordinator_changes_status_with_a_note_and_sees_it_in_the_history(client, coordinator, make_registration):
    registration = make_registration()
    response = post_form(client, f"/coordinator/interest/{registration.id}/status",
                         {"status": "contacted", "status_note": "Called Priya, **keen**", "current_status": "new"})
    assert response.status_code == 302
    page = parse(client.get(response.headers["Location"]))
    assert "Status changed to contacted." in page.text
    history = page.soup.select_one(".app-history").get_text(" ", strip=True)
    assert "Status changed from new to contacted" in history and "Cora Coordinator" in history
    assert page.soup.select_one(".app-history strong + strong, .app-user-text strong").get_text() == "keen"


def test_the_status_form_offers_only_the_allowed_next_statuses(client, coordinator, make_registration):
    registration = make_registration(status="scheduled")
    page = parse(client.get(f"/coordinator/interest/{registration.id}"))
    offered = [radio["value"] for radio in page.soup.select("input[name=status]")]
    assert offered == ["converted", "declined", "stalled"]


def test_a_status_that_is_not_allowed_is_refused_next_to_the_field(client, coordinator, make_registration):
    registration = make_registration()
    page = parse(post_form(client, f"/coordinator/interest/{registration.id}/status", {"status": "converted", "current_status": "new"}))
    assert page.status == 400
    assert page.field_error("status") == "Select one of the statuses shown"
    assert db.session.get(InterestRegistration, registration.id).status == "new"


def test_converting_links_the_cohort_the_registration_became(client, coordinator, make_registration, make_cohort):
    registration = make_registration(status="scheduled")
    cohort = make_cohort(programme="facilitator", name="Leeds spring cohort")
    make_cohort(programme="train-the-trainer", name="Not offered")
    page = parse(client.get(f"/coordinator/interest/{registration.id}"))
    offered = [option.get_text() for option in page.soup.select("select#cohort option")]
    assert any("Leeds spring cohort" in text for text in offered) and not any("Not offered" in t for t in offered)
    response = post_form(client, f"/coordinator/interest/{registration.id}/status",
                         {"status": "converted", "current_status": "scheduled", "cohort": str(cohort.id)})
    assert response.status_code == 302
    assert db.session.get(InterestRegistration, registration.id).cohort_id == cohort.id
    assert "Became cohort: Leeds spring cohort" in parse(client.get(response.headers["Location"])).text


def test_a_cohort_can_only_be_linked_when_converting(client, coordinator, make_registration, make_cohort):
    registration = make_registration(status="scheduled")
    cohort = make_cohort(programme="facilitator")
    page = parse(post_form(client, f"/coordinator/interest/{registration.id}/status",
                           {"status": "stalled", "current_status": "scheduled", "cohort": str(cohort.id)}))
    assert page.status == 409
    assert page.field_error("cohort") == "Only link a cohort when the status is converted"
    assert db.session.get(InterestRegistration, registration.id).status == "scheduled"


def test_a_change_from_a_stale_page_is_refused_and_explained(client, coordinator, make_registration):
    registration = make_registration()
    post_form(client, f"/coordinator/interest/{registration.id}/status", {"status": "contacted", "current_status": "new"})
    page = parse(post_form(client, f"/coordinator/interest/{registration.id}/status", {"status": "declined", "current_status": "new"}))
    assert page.status == 409
    assert "Someone else changed the status" in page.field_error("status")
    assert page.soup.find("input", attrs={"name": "current_status"})["value"] == "contacted"


def test_coordinator_assigns_a_registration(client, coordinator, make_user, make_registration):
    colleague = make_user(roles=["coordinator"], name="Colin Colleague")
    registration = make_registration()
    post_form(client, f"/coordinator/interest/{registration.id}/assignment", {"assigned_to": str(colleague.id)})
    assert db.session.get(InterestRegistration, registration.id).assigned_to_id == colleague.id
    page = parse(client.get(f"/coordinator/interest/{registration.id}"))
    assert "Assigned to Colin Colleague" in page.soup.select_one(".app-history").get_text(" ", strip=True)


def test_assigning_to_someone_who_is_not_a_coordinator_is_refused(client, coordinator, make_user, make_registration):
    registration = make_registration()
    page = parse(post_form(client, f"/coordinator/interest/{registration.id}/assignment", {"assigned_to": str(make_user().id)}))
    assert page.field_error("assigned_to") == "Select a coordinator from the list"


def test_notes_are_markdown_with_unsafe_html_removed(client, coordinator, make_registration):
    registration = make_registration()
    post_form(client, f"/coordinator/interest/{registration.id}/notes",
              {"note": "- one\n- [two](https://example.org)\n<script>alert(1)</script><a href='javascript:x'>bad</a>"})
    page = parse(client.get(f"/coordinator/interest/{registration.id}"))
    note = page.soup.select_one(".app-user-text")
    assert [li.get_text() for li in note.select("li")] == ["one", "two"]
    assert note.find("a", href="https://example.org")["rel"] == ["nofollow", "noopener"]
    assert note.find("script") is None and not note.select("a[href^=javascript]")


def test_an_empty_note_is_refused_next_to_the_field(client, coordinator, make_registration):
    registration = make_registration()
    page = parse(post_form(client, f"/coordinator/interest/{registration.id}/notes", {"note": "  "}))
    assert page.field_error("note") == "Enter a note"
    assert page.title.startswith("Error: ")


# --- CSV export -----------------------------------------------------------------------------------


def export(client, query=""):
    response = client.get(f"/coordinator/interest?format=csv&{query}", buffered=True)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    return response, list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_export_is_a_csv_attachment_with_every_field_quoted(client, coordinator, make_registration):
    make_registration()
    response, rows = export(client)
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="interest-registrations-')
    raw = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert all(line.startswith('"') and line.endswith('"') for line in raw)
    assert rows[0][:3] == ["Reference", "Received (UTC)", "Status"]


def test_export_neutralises_spreadsheet_formulas(client, coordinator, make_registration):
    make_registration(organisation_name='=HYPERLINK("http://evil.example","Click")', contact_name="+44 trick",
                      job_title="-2+3", message="@SUM(A1:A9)", phone="\t0123")
    _, [header, row] = export(client)
    record = dict(zip(header, row))
    assert record["Organisation"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert record["Contact name"] == "'+44 trick"
    assert record["Job title"] == "'-2+3"
    assert record["Anything else"] == "'@SUM(A1:A9)"
    assert record["Phone number"] == "'\t0123"


def test_export_contains_exactly_the_filtered_list_in_its_order(client, coordinator, make_registration):
    wanted = [make_registration(region="london", created_at=days_ago(n)) for n in (3, 1, 2)]
    make_registration(region="midlands")
    _, rows = export(client, "region=london&sort=oldest")
    assert [row[0] for row in rows[1:]] == [r.reference for r in sorted(wanted, key=lambda r: r.created_at)]


def test_export_keeps_unicode_and_rtl_text(client, coordinator, make_registration):
    make_registration(organisation_name="Ysbyty Gŵyr 🏥", contact_name="מרים")
    _, [header, row] = export(client)
    assert dict(zip(header, row))["Organisation"] == "Ysbyty Gŵyr 🏥"


def test_each_export_is_in_the_audit_log_with_its_filters_and_row_count(client, coordinator, make_registration):
    make_registration(status="contacted")
    make_registration()
    export(client, "status=contacted")
    db.session.rollback()
    event = db.session.execute(db.select(AuditEvent).filter_by(action="interest_exported")).scalar_one()
    assert event.actor_id == coordinator.id
    assert event.detail == {"filters": {"status": "contacted"}, "row_count": 1}


def _bulk_insert(count: int) -> None:
    now = days_ago(0)
    rows = [
        dict(reference=f"HLM-T{n:06d}", idempotency_key=f"bulk-{n:020d}", created_at=now, status_changed_at=now,
             consented_at=now, programme="facilitator", organisation_name=f"Organisation {n}", organisation_type="icb",
             region="london", contact_name="Contact", job_title="Lead", email=f"c{n}@example.org", participants=5,
             preferred_format="online", timeframe="not-sure", message="x" * 500, status="new")
        for n in range(count)
    ]
    db.session.execute(insert(InterestRegistration), rows)
    db.session.commit()


def _export_peak_memory(app, client) -> tuple[int, int]:
    """Consume the export the way a WSGI server does, chunk by chunk, measuring peak allocation."""
    plain = FlaskClient(app, app.response_class)
    plain.set_cookie("lms_session", client.get_cookie("lms_session").value)
    tracemalloc.start()
    try:
        response = plain.get("/coordinator/interest?format=csv")
        assert response.is_streamed
        lines = sum(chunk.count(b"\n") for chunk in response.response)
        response.close()
        return lines, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_export_streams_in_batches_so_memory_stays_flat(app, client, coordinator, monkeypatch):
    monkeypatch.setitem(app.config, "INTEREST_EXPORT_BATCH", 100)
    _bulk_insert(300)
    small_lines, small_peak = _export_peak_memory(app, client)
    db.session.execute(delete(InterestRegistration))
    db.session.commit()
    _bulk_insert(3000)
    large_lines, large_peak = _export_peak_memory(app, client)
    assert (small_lines, large_lines) == (301, 3001)
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)


def test_the_list_links_to_an_export_of_the_same_filters(client, coordinator, make_registration):
    make_registration(region="london")
    page = parse(client.get("/coordinator/interest?region=london&q=org"))
    href = page.soup.find(id="export-csv")["href"]
    assert "format=csv" in href and "region=london" in href and "q=org" in href


def test_history_of_an_anonymised_registration_keeps_who_and_when(client, coordinator, make_registration):
    registration = make_registration(status="declined", created_at=days_ago(800))
    db.session.add(InterestEvent(registration_id=registration.id, actor_id=coordinator.id, kind="note", note="Spoke to Priya"))
    db.session.commit()
    from lms.interest.service import anonymise_closed_registrations

    anonymise_closed_registrations(older_than_months=24, dry_run=False)
    page = parse(client.get(f"/coordinator/interest/{registration.id}"))
    history = page.soup.select_one(".app-history").get_text(" ", strip=True)
    assert "Priya" not in page.text
    assert "Personal details removed" in history and "Cora Coordinator" in history

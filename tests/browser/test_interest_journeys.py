"""The interest journeys in a real browser: a visitor registers with the keyboard alone, and a
coordinator filters the list, changes a status and exports. axe-core on every page, 320 and 1280 px."""
import csv
import io
import re

from tests.browser.conftest import assert_no_axe_violations, sign_in_in_browser, tab_until
from tests.interest_support import registrations

FOCUSED_NAME = "document.activeElement && document.activeElement.name === '{}'"


def _tab_to(page, name: str) -> None:
    assert tab_until(page, FOCUSED_NAME.format(name), limit=60), f"could not reach {name} with Tab"


def test_interest_form_pages_have_no_accessibility_violations(browser_page, live_server):
    browser_page.goto(live_server + "/interest")
    assert_no_axe_violations(browser_page, "interest form")
    browser_page.click("#submit-registration")
    browser_page.wait_for_selector(".nhsuk-error-summary")
    assert_no_axe_violations(browser_page, "interest form with errors")


def test_visitor_registers_with_the_keyboard_alone_fixing_errors_on_the_way(browser_page, live_server):
    page = browser_page
    page.goto(live_server + "/interest")
    keyboard = page.keyboard
    _tab_to(page, "programme")
    keyboard.press("Space")
    _tab_to(page, "organisation_name")
    keyboard.type("Ysbyty Gŵyr – Bae Abertawe")
    _tab_to(page, "organisation_type")
    keyboard.press("Space")
    _tab_to(page, "region")
    keyboard.type("London")
    _tab_to(page, "contact_name")
    keyboard.type("Siân Rhŷs")
    _tab_to(page, "job_title")
    keyboard.type("Education Lead")
    _tab_to(page, "email")
    keyboard.type("not-an-email")
    _tab_to(page, "participants")
    keyboard.type("600")
    _tab_to(page, "preferred_format")
    keyboard.press("Space")
    _tab_to(page, "timeframe")
    keyboard.press("Space")
    _tab_to(page, "message")
    keyboard.type("Line one\nLine two 🙂")
    assert tab_until(page, "document.activeElement.id === 'submit-registration'", limit=10)  # consent left unticked
    keyboard.press("Enter")

    page.wait_for_selector(".nhsuk-error-summary")
    assert page.title().startswith("Error: ")
    summary = page.inner_text(".nhsuk-error-summary")
    for message in (
        "Enter an email address in the correct format, like name@example.com",
        "Number of participants must be between 1 and 500",
        "Confirm that we can contact you about this registration",
    ):
        assert message in summary
    assert page.input_value("#organisation_name") == "Ysbyty Gŵyr – Bae Abertawe"
    assert page.input_value("#message") == "Line one\nLine two 🙂"
    assert_no_axe_violations(page, "keyboard journey errors")

    # Follow the first error link from the summary with the keyboard, then fix each answer.
    assert tab_until(page, "document.activeElement.matches('.nhsuk-error-summary__list a')", limit=60)
    keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "email"
    keyboard.press("Control+A")
    keyboard.type("sian.rhys@wales.nhs.uk")
    _tab_to(page, "participants")
    keyboard.press("Control+A")
    keyboard.type("24")
    _tab_to(page, "consent")
    keyboard.press("Space")
    assert tab_until(page, "document.activeElement.id === 'submit-registration'", limit=10)
    keyboard.press("Enter")

    page.wait_for_selector("text=Registration received")
    reference = page.inner_text("#reference")
    assert re.fullmatch(r"HLM-[A-Z2-9]{6}", reference)
    assert_no_axe_violations(page, "confirmation")
    [stored] = registrations()
    assert (stored.reference, stored.organisation_name, stored.region, stored.participants) == (
        reference, "Ysbyty Gŵyr – Bae Abertawe", "london", 24
    )


def test_coordinator_filters_changes_a_status_and_exports(browser_page, live_server, make_user, make_registration, tmp_path):
    page = browser_page
    coordinator = make_user(roles=["coordinator"], name="Cora Coordinator")
    wanted = make_registration(region="south-west", organisation_name="St Brigid's Hospice", organisation_type="hospice",
                               message="=HYPERLINK(\"http://evil.example\")")
    make_registration(region="london", organisation_name="Riverside PCN")
    sign_in_in_browser(page, live_server, coordinator.email)

    page.goto(live_server + "/coordinator/interest")
    assert_no_axe_violations(page, "interest list")
    page.select_option("#filter-region", "south-west")
    page.click("#apply-filters")
    page.wait_for_url(re.compile(r".*region=south-west.*"))
    assert page.inner_text("#result-count").startswith("1 registration")
    assert_no_axe_violations(page, "filtered interest list")

    with page.expect_download() as download:
        page.click("#export-csv")
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [wanted.reference]
    assert dict(zip(rows[0], rows[1]))["Anything else"].startswith("'=HYPERLINK")

    page.click(f"text={wanted.reference}")
    page.wait_for_selector("h1:has-text(\"St Brigid's Hospice\")")
    assert_no_axe_violations(page, "interest detail")
    page.check("input[name=status][value=contacted]")
    page.fill("#status_note", "Spoke to the education lead; **dates** to follow.")
    page.click("#change-status-button")
    page.wait_for_selector(".nhsuk-notification-banner")
    assert "Status changed to contacted." in page.inner_text(".nhsuk-notification-banner")
    history = page.inner_text(".app-history")
    assert "Status changed from new to contacted" in history and "Cora Coordinator" in history
    assert page.inner_text(".app-user-text strong") == "dates"
    assert_no_axe_violations(page, "interest detail after a status change")

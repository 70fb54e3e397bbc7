"""The trainee portal in a real browser: each page type is accessible, and a module can be
completed with the keyboard alone."""
from tests.browser.conftest import assert_no_axe_violations, sign_in_in_browser, tab_until

FIRST = "/learn/facilitator/the-healthcare-leadership-model"


def test_portal_pages_have_no_accessibility_violations(browser_page, live_server, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort(name="Browser cohort"))
    sign_in_in_browser(browser_page, live_server, trainee.email)
    for path in ("/programmes/facilitator", "/programmes/train-the-trainer", "/learn", FIRST, "/learn/facilitator/reading-the-report"):
        response = browser_page.goto(live_server + path)
        assert response.status == 200, path
        assert_no_axe_violations(browser_page, path)


def test_empty_my_learning_page_has_no_violations(browser_page, live_server, make_user):
    sign_in_in_browser(browser_page, live_server, make_user().email)
    browser_page.goto(live_server + "/learn")
    assert "You are not on a cohort yet" in browser_page.inner_text("main")
    assert_no_axe_violations(browser_page)


def test_trainee_completes_a_module_with_the_keyboard_alone(browser_page, live_server, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort())
    sign_in_in_browser(browser_page, live_server, trainee.email)
    browser_page.goto(live_server + FIRST)
    browser_page.focus("#reflection")
    browser_page.keyboard.type("Next time I will let the silence run longer.")
    # Tab from the reflection to the button and press Enter: no mouse.
    browser_page.keyboard.press("Tab")
    assert tab_until(browser_page, "document.activeElement.textContent.trim() === 'Mark as complete'")
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_selector(".nhsuk-notification-banner")
    assert "Module marked as complete." in browser_page.inner_text(".nhsuk-notification-banner")
    assert "Next time I will let the silence run longer." in browser_page.inner_text(".app-user-text")
    assert_no_axe_violations(browser_page, "completed module")
    browser_page.goto(live_server + "/learn")
    assert "1 of 11 modules completed" in browser_page.inner_text("main")


def test_reflection_too_long_shows_the_error_summary(browser_page, live_server, make_user, make_cohort, enrol):
    trainee = make_user()
    enrol(trainee, make_cohort())
    sign_in_in_browser(browser_page, live_server, trainee.email)
    browser_page.goto(live_server + FIRST)
    browser_page.fill("#reflection", "x" * 5001)
    browser_page.click("button:has-text('Mark as complete')")
    browser_page.wait_for_selector(".nhsuk-error-summary")
    assert "Reflection must be 5,000 characters or fewer" in browser_page.inner_text(".nhsuk-error-summary")
    assert browser_page.title().startswith("Error: ")
    assert_no_axe_violations(browser_page, "reflection error")


def test_sign_out_from_the_header_ends_the_session(browser_page, live_server, make_user):
    user = make_user()
    sign_in_in_browser(browser_page, live_server, user.email)
    browser_page.click(".nhsuk-header__account button:has-text('Sign out')")
    browser_page.wait_for_url(live_server + "/login")
    browser_page.goto(live_server + "/account")
    assert browser_page.url.startswith(live_server + "/login")

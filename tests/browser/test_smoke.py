"""The shell, sign-in and error pages in a real browser: accessible at phone and desktop widths."""
from tests.browser.conftest import assert_no_axe_violations, tab_until


def test_home_page_has_no_accessibility_violations(browser_page, live_server):
    browser_page.goto(live_server + "/")
    assert browser_page.locator("h1").inner_text().startswith("Healthcare Leadership Model")
    assert_no_axe_violations(browser_page)


def test_frontend_javascript_initialises_under_the_content_security_policy(browser_page, live_server):
    browser_page.goto(live_server + "/login")
    browser_page.wait_for_selector("[data-nhsuk-password-input-init]")
    assert browser_page.console_errors == []
    assert "nhsuk-frontend-supported" in browser_page.locator("body").get_attribute("class")


def test_failed_sign_in_shows_an_accessible_error_summary(browser_page, live_server, make_user):
    user = make_user()
    browser_page.goto(live_server + "/login")
    browser_page.fill("#email", user.email)
    browser_page.fill("#password", "not the right password")
    browser_page.click("button:has-text('Sign in')")
    summary = browser_page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert "Enter a correct email address and password" in summary.inner_text()
    assert browser_page.title().startswith("Error: Sign in")
    assert browser_page.evaluate("document.activeElement.classList.contains('nhsuk-error-summary')")
    assert_no_axe_violations(browser_page, "sign-in with errors")


def test_error_page_has_no_accessibility_violations(browser_page, live_server):
    response = browser_page.goto(live_server + "/no-such-page")
    assert response.status == 404
    assert_no_axe_violations(browser_page)


def test_accessibility_statement_and_privacy_notice_have_no_violations(browser_page, live_server):
    for path in ("/accessibility", "/privacy", "/password/reset"):
        browser_page.goto(live_server + path)
        assert_no_axe_violations(browser_page, path)


def test_sign_in_works_with_the_keyboard_alone(browser_page, live_server, make_user):
    user = make_user()
    browser_page.goto(live_server + "/login")
    browser_page.keyboard.press("Tab")
    focused = browser_page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    browser_page.keyboard.press("Enter")
    # From the skip link, Tab moves through the form in order.
    assert tab_until(browser_page, "document.activeElement.id === 'email'")
    browser_page.keyboard.type(user.email)
    browser_page.keyboard.press("Tab")
    assert browser_page.evaluate("document.activeElement.id") == "password"
    browser_page.keyboard.type("correct horse battery staple")
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url(live_server + "/")
    assert browser_page.locator(".nhsuk-header__account").inner_text().find(user.name) >= 0


def test_signed_in_pages_have_no_violations(browser_page, live_server, make_user):
    from tests.browser.conftest import sign_in_in_browser

    admin = make_user(roles=["admin"])
    sign_in_in_browser(browser_page, live_server, admin.email)
    for path in ("/account", "/account/password", "/admin/users", "/admin/users/invite", "/admin/audit", f"/admin/users/{admin.id}"):
        browser_page.goto(live_server + path)
        assert_no_axe_violations(browser_page, path)

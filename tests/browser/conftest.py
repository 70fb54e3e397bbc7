"""Browser tests: the app served from a thread, Debian's chromium driven by Playwright, axe-core.

Outside CI the browser tests skip when chromium is missing; in CI (CI=true) that is a failure.
"""
import logging
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": 320, "desktop": 1280}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _require_chromium():
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    if os.environ.get("CI"):
        pytest.fail(f"chromium not found at {CHROMIUM}: CI must install Debian's chromium")
    pytest.skip("chromium is not installed (apt-get install chromium); browser tests skipped outside CI")


@pytest.fixture(scope="session")
def live_server(app):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request):
    return WIDTHS[request.param]


@pytest.fixture
def browser_page(browser, width):
    """A fresh browser context (no cookies) at 320 px or 1280 px wide."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    console_errors = []
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.console_errors = console_errors
    yield page
    context.close()


def assert_no_axe_violations(page, context: str = "") -> None:
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in result["violations"]
    ]
    assert violations == [], f"axe-core violations on {context or page.url}:\n" + "\n".join(violations)


def sign_in_in_browser(page, base_url: str, email: str, password: str = "correct horse battery staple") -> None:
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()


def tab_until(page, predicate_js: str, limit: int = 15) -> bool:
    """Press Tab until the JavaScript predicate (about document.activeElement) holds."""
    for _ in range(limit):
        if page.evaluate(predicate_js):
            return True
        page.keyboard.press("Tab")
    return bool(page.evaluate(predicate_js))

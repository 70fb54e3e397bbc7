import pytest

from lms import create_app
from lms.config import ProductionConfig
from tests.conftest import parse, post_form, sign_in


def test_every_page_carries_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "'nonce-" in script_src
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_inline_script_carries_the_nonce_from_the_policy(client):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    inline_scripts = [s for s in parse(response).soup.find_all("script") if not s.get("src")]
    assert inline_scripts and all(s.get("nonce") == nonce for s in inline_scripts)


def test_nonce_changes_per_response(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


def test_signed_in_pages_are_not_stored_by_caches(client, make_user):
    sign_in(client, make_user())
    assert client.get("/account").headers["Cache-Control"] == "no-store"


def test_frontend_assets_may_be_cached(client):
    response = client.get("/nhsuk-frontend/nhsuk-frontend.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_compiled_css_finds_its_images_under_assets(client):
    assert client.get("/assets/images/nhsuk-icon-cross.svg").status_code == 200


def test_frontend_route_serves_only_css_and_js(client):
    assert client.get("/nhsuk-frontend/package.json").status_code == 404
    assert client.get("/nhsuk-frontend/../../package.json").status_code == 404


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_production_refuses_to_start_without_a_strong_secret(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SERVER_BASE_URL", "https://hlm.example.nhs.uk")
    for weak in ["", "dev", "change-me", "short-secret"]:
        monkeypatch.setenv("SECRET_KEY", weak)
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(ProductionConfig)


def test_production_refuses_to_start_without_its_public_address(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.delenv("SERVER_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SERVER_BASE_URL"):
        create_app(ProductionConfig)


def test_reset_links_use_the_configured_address_not_the_host_header(app, client, make_user, monkeypatch):
    from tests.conftest import link_in, outbox

    monkeypatch.setitem(app.config, "SERVER_BASE_URL", "https://hlm.example.nhs.uk")
    user = make_user()
    forged = "http://evil.example"
    token = parse(client.get("/password/reset", base_url=forged)).soup.find("input", attrs={"name": "csrf_token"})["value"]
    client.post("/password/reset", data={"email": user.email, "csrf_token": token}, base_url=forged)
    body = outbox()[0].get_payload(decode=True).decode()
    assert "evil.example" not in body
    assert "https://hlm.example.nhs.uk/password/reset/" in body
    assert link_in(outbox()[0], "/password/reset/")


def test_production_sends_hsts_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SERVER_BASE_URL", "https://hlm.example.nhs.uk")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.sqlite3")
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SECRET_KEY"] == "x" * 48
    response = app.test_client().get("/accessibility", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_request_bodies_are_limited(app, client):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    page = parse(client.post("/login", data={"email": "x" * (2 * 1024 * 1024)}))
    assert page.status == 413
    assert page.h1 == "What you sent is too large"


def test_sign_in_is_throttled_per_account(client, make_user):
    user = make_user()
    for _ in range(5):
        assert post_form(client, "/login", {"email": user.email, "password": "wrong password here"}).status_code == 200
    page = parse(post_form(client, "/login", {"email": user.email, "password": "correct horse battery staple"}))
    assert page.status == 429
    assert page.h1 == "Too many attempts"


def test_throttling_an_unknown_account_looks_the_same(client):
    for _ in range(5):
        post_form(client, "/login", {"email": "ghost@example.org", "password": "wrong password here"})
    assert post_form(client, "/login", {"email": "ghost@example.org", "password": "wrong password here"}).status_code == 429


def test_sign_in_is_throttled_per_ip_across_accounts(client):
    statuses = [
        post_form(client, "/login", {"email": f"p{n}@example.org", "password": "wrong password here"}).status_code
        for n in range(31)
    ]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_successful_sign_ins_do_not_use_up_the_account_allowance(app, make_user):
    user = make_user()
    client = app.test_client()
    for _ in range(7):
        assert post_form(client, "/login", {"email": user.email, "password": "correct horse battery staple"}).status_code == 302
        post_form(client, "/logout")

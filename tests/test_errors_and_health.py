from sqlalchemy.exc import OperationalError

from lms.extensions import db
from tests.conftest import parse, sign_in


def test_unknown_page_gets_the_404_page_in_the_service_shell(client):
    page = parse(client.get("/no-such-page"))
    assert page.status == 404
    assert page.title == "Page not found – HLM facilitator training"
    assert page.soup.select_one("header.nhsuk-header") and page.soup.select_one("footer.nhsuk-footer")
    assert page.soup.find("a", href="/")


def test_wrong_method_gets_the_405_page(client):
    page = parse(client.delete("/"))
    assert page.status == 405
    assert page.h1 == "This page cannot be used in that way"


def test_wrong_role_gets_the_403_page(client, make_user):
    sign_in(client, make_user())
    page = parse(client.get("/admin/users"))
    assert page.status == 403
    assert "contact your programme coordinator" in page.text


def test_unexpected_error_gets_the_500_page(app, client, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "main.privacy_notice", broken)
    page = parse(client.get("/privacy"))
    assert page.status == 500
    assert page.h1 == "Sorry, there is a problem with the service"
    assert "boom" not in page.text


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_reports_503_when_the_database_does_not_answer(client, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] != "ok"


def test_accessibility_statement_and_privacy_notice_are_real_pages(client):
    assert "WCAG" in parse(client.get("/accessibility")).text
    assert "How long we keep it" in parse(client.get("/privacy")).text


def test_footer_links_accessibility_statement_and_privacy_notice(client):
    footer = parse(client.get("/")).soup.find("footer")
    hrefs = {a["href"] for a in footer.find_all("a")}
    assert {"/accessibility", "/privacy"} <= hrefs


def test_page_titles_name_the_page_then_the_service(client):
    assert parse(client.get("/login")).title == "Sign in – HLM facilitator training"

from markupsafe import Markup

from lms.components import render_component
from tests.conftest import parse, sign_in


def test_same_params_render_the_same_html(app):
    with app.test_request_context():
        first = render_component("button", {"text": "Save"})
        assert render_component("button", {"text": "Save"}) == first


def test_markup_and_plain_text_params_are_not_confused(app):
    with app.test_request_context():
        escaped = render_component("input", {"id": "x", "name": "x", "label": {"text": "<b>Name</b>"}})
        raw = render_component("input", {"id": "x", "name": "x", "label": {"html": Markup("<b>Name</b>")}})
    assert "&lt;b&gt;Name&lt;/b&gt;" in escaped
    assert "<b>Name</b>" in raw


def test_a_name_with_html_is_escaped_in_the_header(client, make_user):
    sign_in(client, make_user(name="<script>alert(1)</script>"))
    page = parse(client.get("/account"))
    header = page.soup.find("header")
    assert header.find("script") is None
    assert "<script>alert(1)</script>" in header.get_text()


def test_header_sign_out_form_carries_this_sessions_csrf_token(client, make_user):
    sign_in(client, make_user())
    page = parse(client.get("/account"))
    token = page.soup.select_one(".nhsuk-header__account form input[name=csrf_token]")["value"]
    assert token != "__LMS_CSRF_TOKEN__"
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302

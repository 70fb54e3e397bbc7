"""Whatever a browser sends, the answer is never a 500: every route, every kind of person,
odd path values, odd query strings and junk form posts (with a valid CSRF token)."""
import pytest

from tests.conftest import csrf_token, sign_in

ODD_VALUES = ["1", "99999999", "0", "-1", "%00", "..%2f..%2fetc", "ŵŷ🙂", "a" * 300, "<script>", "'; DROP TABLE users; --"]
ODD_QUERY = "?page=-3&page=x&q=a%00%ff&status=%3Cb%3E&sort=__class__&format=csv&received_from=2026-02-30&assigned=1e9&action=%27%00"
JUNK_FORM = {
    "email": ["a\x00@b.org", "c@d"], "organisation_name": "NUL\x00byte", "message": "x\x00y", "password": "\x00" * 5, "name": "ŵ" * 500, "status": "<script>", "role": "root",
    "granted": "maybe", "active": "perhaps", "reflection": "x" * 6000, "participants": "1e400", "cohort": "abc",
    "current_status": "\ufeff", "note": "=cmd|' /C calc'!A0", "form_token": "junk", "assigned_to": "-5",
}


def _paths(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "main.nhsuk_asset", "main.nhsuk_frontend"):
            continue
        if not rule.arguments:
            yield rule, rule.rule
            continue
        for value in ODD_VALUES:
            path = rule.rule
            for argument in rule.arguments:
                path = path.replace(f"<int:{argument}>", value if value.lstrip("-").isdigit() else "1")
                path = path.replace(f"<path:{argument}>", value).replace(f"<{argument}>", value)
            yield rule, path


@pytest.mark.parametrize("person", ["anonymous", "signed_in", "coordinator", "admin"])
def test_no_route_answers_500_to_odd_requests(app, client, make_user, make_cohort, enrol, person):
    if person != "anonymous":
        user = make_user(roles=[] if person == "signed_in" else [person])
        enrol(user, make_cohort())
        sign_in(client, user)
    token = csrf_token(client)
    failures = []
    for rule, path in _paths(app):
        responses = []
        if "GET" in rule.methods:
            responses.append(("GET", client.get(path + ODD_QUERY)))
        if "POST" in rule.methods and not path.startswith("/logout"):
            responses.append(("POST", client.post(path, data={**JUNK_FORM, "csrf_token": token})))
        failures += [f"{method} {path}: {r.status_code}" for method, r in responses if r.status_code >= 500]
    assert failures == []

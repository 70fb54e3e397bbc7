"""Every route declares who may use it; the matrix pins down what each kind of person gets."""
import pytest

from tests.conftest import sign_in

# Flask's own static route serves files from static/ and needs no declaration.
UNDECLARED_ALLOWED = {"static"}


def test_every_route_declares_its_access(app):
    undeclared = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in UNDECLARED_ALLOWED
        and getattr(app.view_functions[rule.endpoint], "access_declaration", None) is None
    ]
    assert undeclared == []


# path -> expected status for: anonymous, signed-in (no role), coordinator, admin.
# Feature issues add their rows here.
MATRIX = {
    "/": (200, 200, 200, 200),
    "/accessibility": (200, 200, 200, 200),
    "/privacy": (200, 200, 200, 200),
    "/healthz": (200, 200, 200, 200),
    "/login": (200, 302, 302, 302),
    "/password/reset": (200, 200, 200, 200),
    "/account": (302, 200, 200, 200),
    "/account/password": (302, 200, 200, 200),
    "/admin/users": (302, 403, 403, 200),
    "/admin/users/invite": (302, 403, 403, 200),
    "/admin/audit": (302, 403, 403, 200),
    "/programmes/facilitator": (200, 200, 200, 200),
    "/programmes/train-the-trainer": (200, 200, 200, 200),
    "/programmes/no-such-programme": (404, 404, 404, 404),
    "/learn": (302, 200, 200, 200),
    "/learn/facilitator/the-healthcare-leadership-model": (302, 403, 200, 403),
    "/interest": (200, 200, 200, 200),
    "/interest/confirmation/HLM-AAAAAA": (404, 404, 404, 404),
    "/coordinator/interest": (302, 403, 200, 403),
    "/coordinator/interest?format=csv": (302, 403, 200, 403),
    "/coordinator/interest/999999": (302, 403, 404, 403),
}
PEOPLE = ["anonymous", "signed_in", "coordinator", "admin"]


def extend_matrix(rows: dict) -> None:
    MATRIX.update(rows)


@pytest.mark.parametrize("person_index,person", list(enumerate(PEOPLE)))
def test_role_route_matrix(client, make_user, person_index, person):
    if person != "anonymous":
        roles = [] if person == "signed_in" else [person]
        sign_in(client, make_user(roles=roles))
    outcome = {path: client.get(path).status_code for path in MATRIX}
    expected = {path: statuses[person_index] for path, statuses in MATRIX.items()}
    assert outcome == expected


def test_anonymous_redirects_go_to_sign_in_with_the_path(client):
    response = client.get("/admin/audit?action=sign_in")
    assert response.headers["Location"] == "/login?next=/admin/audit?action%3Dsign_in"

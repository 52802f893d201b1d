"""An ended session: a plain request is redirected to the login page, an htmx request is
told to go there (HX-Redirect) instead of getting the login page to swap into the board."""

from fastapi.testclient import TestClient

HTMX = {"HX-Request": "true"}


def test_an_htmx_move_without_a_session_is_sent_to_login(client, reference, make_lead):
    lead = make_lead("PENDING")
    answer = client.post(
        f"/web/leads/{lead.number}/move",
        data={"action": "start_progress", "view": "board"},
        headers=HTMX,
        follow_redirects=False,
    )
    assert answer.status_code == 401
    assert answer.headers["hx-redirect"] == "/web/login"
    assert "location" not in answer.headers and "<form" not in answer.text


def test_an_htmx_request_under_a_root_path_is_sent_to_its_login(app, reference):
    with TestClient(app, root_path="/crm") as crm:
        answer = crm.get("/crm/web/board", headers=HTMX, follow_redirects=False)
    assert answer.status_code == 401 and answer.headers["hx-redirect"] == "/crm/web/login"


def test_a_plain_request_without_a_session_is_redirected(client, reference, make_lead):
    lead = make_lead("PENDING")
    answer = client.post(
        f"/web/leads/{lead.number}/move",
        data={"action": "start_progress", "view": "board"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/web/login"
    assert "hx-redirect" not in answer.headers

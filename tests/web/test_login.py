"""Logging in and out of the web pages."""


def test_root_redirects_to_the_board(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/web/board"


def test_pages_send_an_anonymous_browser_to_login(client, reference):
    response = client.get("/web/board", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/web/login"


def test_login_sets_an_httponly_lax_cookie(client, reference, login):
    response = login()
    assert response.status_code == 303 and response.headers["location"] == "/web/board"
    cookie = response.headers["set-cookie"].lower()
    assert "leadbook_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "Maria Sales" in client.get("/web/board").text


def test_wrong_password_shows_the_message_and_sets_no_cookie(client, reference, login):
    response = login(password="nope")
    assert response.status_code == 401
    assert "Invalid username or password" in response.text
    assert "leadbook_session" not in response.headers.get("set-cookie", "")


def test_logout_revokes_the_session(signed_in, csrf_of):
    board = signed_in.get("/web/board")
    token = signed_in.cookies["leadbook_session"]
    response = signed_in.post(
        "/web/logout", data={"csrf": csrf_of(board.text)}, follow_redirects=False
    )
    assert response.headers["location"] == "/web/login"
    signed_in.cookies.set("leadbook_session", token)
    assert signed_in.get("/web/board", follow_redirects=False).status_code == 303


def test_logout_without_csrf_token_is_refused(signed_in):
    response = signed_in.post("/web/logout", data={"csrf": "forged"})
    assert response.status_code == 403
    assert "The form has expired" in response.text
    assert signed_in.get("/web/board").status_code == 200


def test_static_files_are_served_and_others_are_not(client):
    assert "htmx" in client.get("/web/static/htmx.min.js").text
    assert client.get("/web/static/../config.py").status_code == 404


def test_the_login_form_needs_its_csrf_token(client, reference, csrf_of):
    """A login posted from another site (no form cookie, or a token of its own) is refused
    and starts no session; the form's own token and cookie log in."""
    credentials = {"username": "maria", "password": "correct horse battery"}
    forged = client.post("/web/login", data={**credentials, "csrf": "0" * 64})
    assert forged.status_code == 403 and "The form has expired" in forged.text
    assert "leadbook_session" not in forged.headers.get("set-cookie", "")
    form = client.get("/web/login")
    cookie = form.headers["set-cookie"].lower()
    assert "leadbook_login=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    token = csrf_of(form.text)
    client.cookies.delete("leadbook_login")
    assert client.post("/web/login", data={**credentials, "csrf": token}).status_code == 403
    client.get("/web/login")
    answer = client.post(
        "/web/login",
        data={**credentials, "csrf": csrf_of(client.get("/web/login").text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and "leadbook_session=" in answer.headers["set-cookie"]


def test_the_session_cookie_is_secure_over_https(app, reference, csrf_of):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://leadbook.example") as https:
        csrf = csrf_of(https.get("/web/login").text)
        answer = https.post(
            "/web/login",
            data={"username": "maria", "password": "correct horse battery", "csrf": csrf},
            follow_redirects=False,
        )
    cookie = answer.headers["set-cookie"].lower()
    assert answer.status_code == 303 and "leadbook_session=" in cookie
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie

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
    assert "set-cookie" not in response.headers


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

"""The session: opened for free without a cookie, signed and read back as Flask's own."""

from flask import request

from webapp.web.speedups import CookieSessionInterface


def test_a_request_without_a_session_cookie_gets_an_empty_unmodified_session(app):
    assert isinstance(app.session_interface, CookieSessionInterface)
    with app.test_request_context("/"):
        opened = app.session_interface.open_session(app, request)
        assert opened == {} and not opened.modified


def test_a_session_started_without_a_cookie_is_signed_and_read_back(client):
    client.get("/auth/login")  # the login page puts a CSRF token in the session
    assert client.get_cookie("session") is not None
    with client.session_transaction() as stored:
        assert stored["csrf_token"]


def test_a_forged_session_cookie_gives_an_empty_session(client):
    client.set_cookie("session", "eyJfdXNlcl9pZCI6IjEifQ.forged.signature")
    with client.session_transaction() as stored:
        assert dict(stored) == {}
    assert "Log in" in client.get("/").get_data(as_text=True)

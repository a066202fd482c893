"""What a request's cookies say about its session, without opening it.

The anonymous homepage is rendered once for everybody (home/rendering.py) and templates skip the
session for anonymous visitors (speedups.visitor_context): both rest on this one test of
whether the request could be logged in or carry a flashed message at all."""

from flask import current_app, request


def without_session_cookie():
    """True when the request brings neither a session nor a remember-me cookie: it cannot be
    logged in nor have a message flashed to it, so the page it gets is everybody's."""
    cookies, config = request.cookies, current_app.config
    return config["SESSION_COOKIE_NAME"] not in cookies and config["REMEMBER_COOKIE_NAME"] not in cookies

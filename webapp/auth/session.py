"""Logging in and out with Flask-Login, where to go afterwards, and what anonymous users see
when a page needs a login."""

from flask import redirect, request, session, url_for
from flask_login import login_user, logout_user

from webapp.auth.users import record_login
from webapp.extensions import login_manager
from webapp.web.errors import MESSAGES, error_response, wants_json
from webapp.web.links import safe_next

login_manager.login_view = "auth.login"


def session_user_id():
    """The logged-in user's id as the signed session holds it, without loading the User row.

    For hot endpoints that need only the id (the flash-sale Buy click, where most clicks are
    refusals and a database query would be most of their cost). The session cookie is signed
    with SECRET_KEY, so the id cannot be forged; the code that acts on it later (the order
    task) checks that the user still exists."""
    value = session.get("_user_id")  # where Flask-Login's login_user() keeps it
    return int(value) if isinstance(value, str) and value.isdigit() else None


def start_session(user):
    """Log `user` in on a fresh session: whatever the session held before (an attacker's
    planted values, the old CSRF token, remembered task ids) is dropped first."""
    session.clear()
    login_user(user)
    record_login(user)


def end_session():
    logout_user()
    session.clear()


@login_manager.unauthorized_handler
def unauthorized():
    """API and JSON clients get a 401; people are sent to the login page and back."""
    if wants_json():
        return error_response(401, MESSAGES[401])
    target = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))

"""Logging in and out with Flask-Login, where to go afterwards, and what anonymous users see
when a page needs a login."""

from flask import redirect, request, session, url_for
from flask_login import login_user, logout_user

from webapp.auth.users import record_login
from webapp.extensions import login_manager
from webapp.web.errors import MESSAGES, error_response, wants_json
from webapp.web.links import safe_next

login_manager.login_view = "auth.login"


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

"""Logging in and out with Flask-Login, where to go afterwards, and what anonymous users see
when a page needs a login."""

import logging
from functools import wraps

from flask import redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import update

from webapp.auth import revocation
from webapp.auth.models import SESSION_VERSION, User
from webapp.auth.users import record_login
from webapp.extensions import db, login_manager
from webapp.redis import RedisUnavailable
from webapp.web.errors import MESSAGES, error_response, wants_json
from webapp.web.links import safe_next

log = logging.getLogger(__name__)

login_manager.login_view = "auth.login"


def start_session(user):
    """Log `user` in on a fresh session: whatever the session held before (an attacker's
    planted values, the old CSRF token, remembered task ids) is dropped first."""
    session.clear()
    login_user(user)
    session[SESSION_VERSION] = user.session_version
    record_login(user)


def end_session():
    """Log out, and revoke every session of the user (this cookie included, should a copy of
    it be replayed from elsewhere)."""
    if current_user.is_authenticated:
        revoke_sessions(current_user)
    logout_user()
    session.clear()


def revoke_sessions(user):
    """End every session of `user`: "log out everywhere", logging out, losing admin rights.
    The database is the record; Redis gets a copy for the Buy click's script."""
    db.session.execute(
        update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
    )
    db.session.commit()
    db.session.refresh(user)
    try:
        revocation.record_version(user.id, user.session_version)
    except RedisUnavailable as error:  # pages still refuse the old sessions; Buy clicks too, once it is back
        log.warning("session version of user %s not mirrored to Redis: %s", user.id, error)


def session_user_id():
    """The logged-in user's id as the signed session holds it, without loading the User row.

    For hot endpoints that need only the id (the flash-sale Buy click, where most clicks are
    refusals and a database query would be most of their cost). The session cookie is signed
    with SECRET_KEY, so the id cannot be forged; whether the session was revoked since is for
    the caller to check (the Buy script compares the session's version with Redis's copy), and
    the order task checks that the user still exists."""
    value = session.get("_user_id")  # where Flask-Login's login_user() keeps it
    return int(value) if isinstance(value, str) and value.isdigit() else None


def session_login_required(view):
    """Flask-Login's `login_required`, judged from the signed session alone (`session_user_id`),
    for views that must not query the database; they check the session's version themselves."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if session_user_id() is None:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return guarded


@login_manager.unauthorized_handler
def unauthorized():
    """API and JSON clients get a 401; people are sent to the login page and back."""
    if wants_json():
        return error_response(401, MESSAGES[401])
    target = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target))

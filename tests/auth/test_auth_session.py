"""Sessions (webapp/auth/session.py): where Flask-Login keeps the logged-in id, read without a
query by the Buy click."""

from flask import session
from flask_login import login_user

from webapp.auth.models import User
from webapp.auth.session import session_user_id
from webapp.extensions import db


def test_flask_login_keeps_the_logged_in_id_where_session_user_id_reads_it(app):
    with app.app_context():
        user = User(phone="+8613800000042")
        db.session.add(user)
        db.session.commit()
        with app.test_request_context("/"):
            login_user(user)
            assert session_user_id() == user.id
            assert "_user_id" in session

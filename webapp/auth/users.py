"""Finding and creating users by phone (E.164)."""

from sqlalchemy.exc import IntegrityError

from webapp.auth.models import User
from webapp.clock import utcnow
from webapp.extensions import db


def user_by_phone(phone):
    return db.session.scalar(db.select(User).filter_by(phone=phone))


def get_or_create_user(phone):
    """The user with this phone, created on first login. Returns (user, created).

    Two first logins racing for one phone: the loser's INSERT fails on the unique
    constraint, and it reads the winner's row instead."""
    user = user_by_phone(phone)
    if user is not None:
        return user, False
    user = User(phone=phone)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return user_by_phone(phone), False
    return user, True


def record_login(user):
    user.last_login_at = utcnow()
    db.session.commit()


def make_admin(phone):
    """Give `phone` admin rights, creating the user if needed. Returns (user, created)."""
    user, created = get_or_create_user(phone)
    user.is_admin = True
    db.session.commit()
    return user, created

from datetime import datetime

from flask import session
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.auth.masking import mask_phone
from webapp.clock import utcnow
from webapp.extensions import db, login_manager


class User(UserMixin, db.Model):
    """A customer, known by the phone number (E.164) they log in with."""

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    # Raised by logging out, "log out everywhere" and losing admin rights: every session made
    # with an older version stops working (see auth/session.py).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def masked_phone(self):
        """+8613812345678 -> 138****5678, for pages other people can see."""
        return mask_phone(self.phone)


@login_manager.user_loader
def load_user(user_id):
    """The session's user, unless the session was made before the user's sessions were revoked."""
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or session.get(SESSION_VERSION, 0) != user.session_version:
        return None
    return user


#: Where the session keeps the user's session_version from when it was made.
SESSION_VERSION = "_sv"

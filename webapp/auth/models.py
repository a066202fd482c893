from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.auth.phones import mask_phone
from webapp.clock import utcnow
from webapp.extensions import db, login_manager


class User(UserMixin, db.Model):
    """A customer, known by the phone number (E.164) they log in with."""

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def masked_phone(self):
        """+8613812345678 -> 138****5678, for pages other people can see."""
        return mask_phone(self.phone)


@login_manager.user_loader
def load_user(user_id):
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))

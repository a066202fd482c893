"""Who may see /admin: logged-in users with the admin flag, nobody else."""

from functools import wraps

from flask import abort
from flask_login import current_user

from webapp.extensions import login_manager


def admin_required(view):
    """Anonymous visitors go to the login page (Flask-Login's `login_view`, which keeps
    where they were going); logged-in users without the admin flag get a 403."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403, "This page is for administrators only.")
        return view(*args, **kwargs)

    guarded.admin_required = True
    return guarded

"""`flask users make-admin | remove-admin | log-out <phone>`: admins, and ending sessions."""

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.auth.errors import InvalidPhone
from webapp.auth.phones import normalize_phone
from webapp.auth.session import revoke_sessions
from webapp.auth.users import make_admin, user_by_phone

cli = AppGroup("users", help="Look after user accounts.")


def _phone(phone):
    """PHONE normalised as the login form does it."""
    try:
        return normalize_phone(phone, current_app.config["SMS_DEFAULT_REGION"])
    except InvalidPhone as error:
        raise click.BadParameter(str(error), param_hint="PHONE") from None


def _user(phone):
    user = user_by_phone(_phone(phone))
    if user is None:
        raise click.ClickException(f"No user has the phone {phone}.")
    return user


@cli.command("make-admin")
@click.argument("phone")
def make_admin_command(phone):
    """Make PHONE an admin (the user is created if they never logged in)."""
    user, created = make_admin(_phone(phone))
    what = "created as an admin" if created else "is now an admin"
    click.echo(f"{user.phone} {what} (user id {user.id}).")


@cli.command("remove-admin")
@click.argument("phone")
def remove_admin_command(phone):
    """Take the admin pages away from PHONE, and end every session they have."""
    user = _user(phone)
    user.is_admin = False
    revoke_sessions(user)  # commits the flag too
    click.echo(f"{user.phone} is no longer an admin; their sessions are ended.")


@cli.command("log-out")
@click.argument("phone")
def log_out_command(phone):
    """Log PHONE out everywhere: every session they have stops working at once."""
    user = _user(phone)
    revoke_sessions(user)
    click.echo(f"{user.phone} is logged out everywhere.")

"""`flask users make-admin <phone>`: the way the first admin comes to be."""

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.auth.phones import InvalidPhone, normalize_phone
from webapp.auth.users import make_admin

cli = AppGroup("users", help="Look after user accounts.")


@cli.command("make-admin")
@click.argument("phone")
def make_admin_command(phone):
    """Make PHONE an admin (it is normalised like the login form does; the user is created
    if they never logged in)."""
    try:
        e164 = normalize_phone(phone, current_app.config["SMS_DEFAULT_REGION"])
    except InvalidPhone as error:
        raise click.BadParameter(str(error), param_hint="PHONE") from None
    user, created = make_admin(e164)
    what = "created as an admin" if created else "is now an admin"
    click.echo(f"{user.phone} {what} (user id {user.id}).")

"""Schema migrations (Flask-Migrate / Alembic), kept in webapp/migrations.

Flask-Migrate imports Alembic, about 11 MB in every process that loads it (bench/homepage_costs.py),
so web workers never import it: `flask db ...` loads it on first use, and `flask init-db` when it
upgrades the database.
"""

from pathlib import Path

import click
from flask import g
from flask.cli import ScriptInfo, with_appcontext

from webapp.extensions import db

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def init_migrations(app):
    """Bind Flask-Migrate to `app` (once)."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    # Batch mode lets SQLite alter tables too.
    Migrate(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)


def upgrade_database(app):
    """Bring the database to the newest migration (what `flask init-db` runs)."""
    from flask_migrate import upgrade

    init_migrations(app)
    upgrade(directory=str(MIGRATIONS_DIR))


class MigrationCommands(click.Group):
    """`flask db ...`: Flask-Migrate's own command group, imported only when it is used."""

    def _group(self, ctx):
        from flask_migrate.cli import db as flask_migrate_group

        init_migrations(ctx.ensure_object(ScriptInfo).load_app())
        return flask_migrate_group

    def list_commands(self, ctx):
        return self._group(ctx).list_commands(ctx)

    def get_command(self, ctx, name):
        return self._group(ctx).get_command(ctx, name)


@click.group("db", cls=MigrationCommands)
@click.option("-x", "--x-arg", multiple=True, help="Additional arguments for env.py.")
@with_appcontext
def db_cli(x_arg):
    """Database migrations (Flask-Migrate)."""
    g.directory = str(MIGRATIONS_DIR)  # what Flask-Migrate's own group callback sets
    g.x_arg = x_arg

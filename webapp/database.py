"""The database: binding it from DATABASE_URL, what an outage raises, and schema migrations
(Flask-Migrate / Alembic, kept in webapp/migrations).

Flask-Migrate imports Alembic, which weighs on every process that loads it (docs/benchmarks.md),
so web workers never import it: `flask db ...` loads it on first use (LazyMigrateGroup), and
`flask init-db` when it upgrades the database.
"""

from pathlib import Path

import click
import sqlalchemy.exc
from flask import g
from flask.cli import ScriptInfo, with_appcontext

from webapp.extensions import db

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: What the database driver raises while the database cannot be reached.
DatabaseUnavailable = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)


def engine_url(url):
    """postgres:// and postgresql:// URLs use psycopg2, the driver this project installs."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg2://" + url[len(scheme) :]
    return url


def init_app(app):
    app.config["SQLALCHEMY_DATABASE_URI"] = engine_url(app.config["DATABASE_URL"])
    db.init_app(app)


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


class LazyMigrateGroup(click.Group):
    """`flask db ...`: Flask-Migrate's own command group, imported only when it is used.

    Leans on Flask-Migrate's `db` group callback setting `g.directory` and `g.x_arg` (checked
    against Flask-Migrate 4.1.0; tests/test_database.py fails if an upgrade moves it)."""

    def _group(self, ctx):
        from flask_migrate.cli import db as flask_migrate_group

        init_migrations(ctx.ensure_object(ScriptInfo).load_app())
        return flask_migrate_group

    def list_commands(self, ctx):
        return self._group(ctx).list_commands(ctx)

    def get_command(self, ctx, name):
        return self._group(ctx).get_command(ctx, name)


@click.group("db", cls=LazyMigrateGroup)
@click.option("-x", "--x-arg", multiple=True, help="Additional arguments for env.py.")
@with_appcontext
def db_cli(x_arg):
    """Database migrations (Flask-Migrate)."""
    g.directory = str(MIGRATIONS_DIR)  # what Flask-Migrate's own group callback sets
    g.x_arg = x_arg

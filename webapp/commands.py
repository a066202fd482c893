"""Site-wide CLI commands: `flask --app wsgi init-db | seed | cache rebuild | cache clear | db`.
Each feature's own commands live in its commands.py (`users`, `flash-sale`, `visits`), with
its demo data's `seed()`."""

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import inspect

from webapp.caching import CachedJSON
from webapp.cli import redis_or_exit
from webapp.database import db_cli, upgrade_database
from webapp.extensions import cache, db
from webapp.features import feature_modules


@click.command("init-db")
@with_appcontext
def init_db():
    """Create the database, or bring it to the newest migration (rows are kept)."""
    tables = inspect(db.engine).get_table_names()
    if tables and "alembic_version" not in tables:
        raise click.ClickException(
            "This database has tables but no migration history (made by db.create_all()?). "
            "Back it up and remove it, or run `flask db stamp head` if its schema is current."
        )
    upgrade_database(current_app)
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("seed")
@with_appcontext
def seed():
    """Load each feature's demo data (banners, sales, ...) unless it is already there."""
    for module in feature_modules("commands"):
        if hasattr(module, "seed"):
            click.echo(module.seed())


cache_cli = AppGroup("cache", help="Look after the Redis cache.")


@cache_cli.command("rebuild")
def cache_rebuild():
    """Rewrite every cached list from the database now."""
    for cached in CachedJSON.rebuildable.values():
        value = redis_or_exit(cached.rebuild)
        click.echo(f"{cached.title} rebuilt {cached.describe(value)}.")


@cache_cli.command("clear")
def cache_clear():
    """Delete every cached value (keys under the cache prefix; counters are kept)."""
    deleted = redis_or_exit(cache.cache.clear)
    click.echo(f"Cache cleared: {deleted} keys deleted.")


#: The site-wide commands; each feature adds its own `cli` (webapp/<feature>/commands.py).
SITE_COMMANDS = [init_db, seed, cache_cli, db_cli]

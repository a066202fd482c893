"""Site-wide CLI commands: `flask --app wsgi init-db | seed | cache rebuild | cache clear | db`.
Each feature's own commands live in its commands.py (`users`, `flash-sale`, `visits`)."""

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import inspect

from webapp.database import db_cli, upgrade_database
from webapp.extensions import cache, db
from webapp.flash_sale.sales import seed_demo_sales
from webapp.home.carousel import banner_list, seed_demo_banners
from webapp.redis import RedisUnavailable


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
    """Load the demo data (banners, sales, ...) unless it is already there."""
    added = seed_demo_banners()
    click.echo(f"Banners: {added} added." if added else "Banners: already there.")
    added = seed_demo_sales()
    click.echo(
        f"Flash sales: {added} added (one running, one upcoming)." if added else "Flash sales: already there."
    )


cache_cli = AppGroup("cache", help="Look after the Redis cache.")


@cache_cli.command("rebuild")
def cache_rebuild():
    """Rewrite the cached banner list from the database now."""
    banners = redis_or_exit(banner_list.rebuild)
    click.echo(f"Banner cache rebuilt with {len(banners)} active banners.")


@cache_cli.command("clear")
def cache_clear():
    """Delete every cached value (keys under the cache prefix; counters are kept)."""
    deleted = redis_or_exit(cache.cache.clear)
    click.echo(f"Cache cleared: {deleted} keys deleted.")


def redis_or_exit(action):
    """`action()`, or a clear message and exit status 1 when Redis is unreachable."""
    try:
        return action()
    except RedisUnavailable as error:
        raise click.ClickException(
            f"Redis is not reachable ({error}). Start it, or set REDIS_URL to one that is."
        ) from error


#: The site-wide commands; each feature adds its own `cli` (webapp/<feature>/commands.py).
SITE_COMMANDS = [init_db, seed, cache_cli, db_cli]

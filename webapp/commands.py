"""CLI commands: `flask --app wsgi init-db | seed | cache rebuild | cache clear | visits |
users make-admin`, and each feature's own group (`flash-sale ...`)."""

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import inspect

from webapp.auth.commands import users_cli
from webapp.database import db_cli, upgrade_database
from webapp.extensions import cache, db
from webapp.flash_sale.commands import cli as flash_sale_cli
from webapp.flash_sale.sales import seed_demo_sales
from webapp.home.carousel import banner_list, seed_demo_banners
from webapp.redis import RedisUnavailable
from webapp.stats import visits


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
    banners = _redis_or_exit(banner_list.rebuild)
    click.echo(f"Banner cache rebuilt with {len(banners)} active banners.")


@cache_cli.command("clear")
def cache_clear():
    """Delete every cached value (keys under the cache prefix; counters are kept)."""
    deleted = _redis_or_exit(cache.cache.clear)
    click.echo(f"Cache cleared: {deleted} keys deleted.")


@click.command("visits")
@with_appcontext
def show_visits():
    """Print today's visits, total visits and today's unique visitors."""
    day = visits.today()
    counts = _redis_or_exit(lambda: visits.read_counts(day))
    click.echo(f"Today ({day.isoformat()}): {counts.today} visits, {counts.visitors_today} unique visitors")
    click.echo(f"Total: {counts.total} visits")


def _redis_or_exit(action):
    try:
        return action()
    except RedisUnavailable as error:
        raise click.ClickException(
            f"Redis is not reachable ({error}). Start it, or set REDIS_URL to one that is."
        ) from error


def register(app):
    for command in (init_db, seed, cache_cli, show_visits, users_cli, db_cli, flash_sale_cli):
        app.cli.add_command(command)

"""`flask flash-sale create | load | reconcile`, and the flash sale's part of `flask seed`."""

from datetime import timedelta

import click
from flask.cli import AppGroup

from webapp.cli import redis_or_exit
from webapp.clock import parse_utc, utcnow
from webapp.flash_sale import sales
from webapp.flash_sale.errors import SaleNotFound

cli = AppGroup("flash-sale", help="Create flash sales and keep their Redis stock true.")


def seed():
    """Add one running and one upcoming demo sale unless there are sales; returns what it did."""
    added = sales.seed_demo_sales()
    return (
        f"Flash sales: {added} added (one running, one upcoming)." if added else "Flash sales: already there."
    )


def _utc_time(value):
    """ISO 8601 date-time (UTC unless it names a zone), or "now"."""
    if value == "now":
        return utcnow().replace(microsecond=0)
    try:
        return parse_utc(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date-time like 2026-12-01T20:00") from None


def _price_cents(value):
    try:
        cents = round(float(value) * 100)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a price like 19.90") from None
    if cents <= 0:
        raise click.BadParameter("the price must be more than 0")
    return cents


@cli.command("create")
@click.option("--name", required=True, help="Product name.")
@click.option("--price", required=True, help="Price, e.g. 19.90.")
@click.option("--stock", required=True, type=click.IntRange(min=1), help="Units for sale.")
@click.option("--start", default="now", show_default=True, help="Start, ISO 8601 (UTC), or 'now'.")
@click.option("--end", default=None, help="End, ISO 8601 (UTC). Default: start + --minutes.")
@click.option("--minutes", default=60, show_default=True, type=click.IntRange(min=1), help="Duration.")
@click.option("--image", default="", help="Image: a path under static/ or a URL.")
def create(name, price, stock, start, end, minutes, image):
    """Create a sale and load its stock into Redis."""
    starts_at = _utc_time(start)
    ends_at = _utc_time(end) if end else starts_at + timedelta(minutes=minutes)
    if ends_at <= starts_at:
        raise click.BadParameter("the end must be after the start", param_hint="--end")
    sale, loaded = sales.create_sale(name, _price_cents(price), stock, starts_at, ends_at, image)
    click.echo(
        f"Flash sale {sale.id} created: {name}, {stock} units at {sale.price}, {starts_at} to {ends_at}."
    )
    if not loaded:
        click.echo(f"Redis is not reachable: run `flask flash-sale load {sale.id}` once it is.", err=True)


@cli.command("load")
@click.argument("sale_id", type=int)
def load(sale_id):
    """Load (or reload) a sale's stock and buyers into Redis from the database."""
    sale = _sale_or_exit(sale_id)
    redis_or_exit(lambda: sales.load_stock(sale))
    click.echo(f"Sale {sale.id} loaded: {sale.remaining_stock} units left.")


@cli.command("reconcile")
@click.argument("sale_id", type=int)
@click.option("--fix", is_flag=True, help="Rewrite Redis from the database (the record).")
def reconcile(sale_id, fix):
    """Compare Redis stock and buyers with the database orders; print the drift."""
    _sale_or_exit(sale_id)
    drift = redis_or_exit(lambda: sales.reconcile(sale_id, fix=fix))
    for line in drift.lines():
        click.echo(line)
    if not drift.clean and not fix:
        raise SystemExit(1)


def _sale_or_exit(sale_id):
    try:
        return sales.get_sale(sale_id)
    except SaleNotFound:
        raise click.ClickException(f"There is no flash sale {sale_id}.") from None

"""`flask visits`: today's and all-time visit counters."""

import click
from flask.cli import with_appcontext

from webapp.cli import redis_or_exit
from webapp.clock import today
from webapp.stats import visits


@click.command("visits")
@with_appcontext
def show_visits():
    """Print today's visits, total visits and today's unique visitors."""
    day = today()
    counts = redis_or_exit(lambda: visits.read_counts(day))
    click.echo(f"Today ({day.isoformat()}): {counts.today} visits, {counts.visitors_today} unique visitors")
    click.echo(f"Total: {counts.total} visits")


cli = show_visits

"""What every CLI command shares: how an outage reads at the terminal."""

import click

from webapp.redis import RedisUnavailable


def redis_or_exit(action):
    """`action()`, or a clear message and exit status 1 when Redis is unreachable."""
    try:
        return action()
    except RedisUnavailable as error:
        raise click.ClickException(
            f"Redis is not reachable ({error}). Start it, or set REDIS_URL to one that is."
        ) from error

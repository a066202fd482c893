"""Publishing tasks from a web request: pooled broker connections with the app's short Redis
timeouts and one immediate retry, so a dead or stalled broker costs the request about a second
instead of Celery's default seconds (or, for a broker that never answers, forever)."""

from flask import current_app
from kombu.exceptions import LimitExceeded, OperationalError

from webapp.extensions import celery
from webapp.redis import RedisUnavailable

PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
PUBLISH_POOL_SIZE = 10

#: What a publish raises when the broker cannot take the message.
PublishFailed = (OperationalError, LimitExceeded, *RedisUnavailable)


def broker_connections():
    """Broker connections with the app's short Redis timeouts, pooled once per process.

    Celery's own pool has no socket timeout (kombu's default), so a broker that accepts
    connections but does not answer would hold the request forever."""
    pool = current_app.extensions.get("broker_pool")
    if pool is None:
        timeout = current_app.config["REDIS_SOCKET_TIMEOUT"]
        options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
        pool = celery.connection_for_write(transport_options=options).Pool(limit=PUBLISH_POOL_SIZE)
        current_app.extensions["broker_pool"] = pool
    return pool


def send_task(name, args, **options):
    """Publish task `name` by name (no import of the task module) over the pool; raises one of
    PublishFailed when the broker cannot take it."""
    with broker_connections().acquire(block=True, timeout=1) as connection:
        return celery.send_task(
            name, args=args, connection=connection, retry=True, retry_policy=PUBLISH_RETRY, **options
        )

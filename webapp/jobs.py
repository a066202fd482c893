"""Celery plumbing: the task names, Celery's settings, binding Celery to the app, and queuing.

The web app never imports `tasks/`: it queues by name with `send_task`, and the tasks register
under the names in this one table. Tasks import the feature modules, never the reverse, so
there is no import cycle between the two.
"""

import pkgutil

from celery import Celery, Task
from flask import current_app
from kombu.exceptions import LimitExceeded, OperationalError

from config import BASE_DIR
from webapp import redis_broker
from webapp.extensions import celery
from webapp.redis import SENTINEL_SCHEME, RedisUnavailable, app_redis_url, parse_redis_url

# Every task, by the name it is registered and queued under.
SEND_SMS_CODE = "tasks.sms.send_sms_code"
CREATE_ORDER = "tasks.orders.create_order"
CANCEL_UNPAID_ORDER = "tasks.orders.cancel_unpaid_order"
CANCEL_OVERDUE_ORDERS = "tasks.orders.cancel_overdue_orders"
REPUBLISH_STUCK_ORDERS = "tasks.orders.republish_stuck_orders"
RELOAD_LOST_SALES = "tasks.orders.reload_lost_sales"
REBUILD_BANNER_CACHE = "tasks.banners.rebuild_banner_cache"
ROLL_UP_VISITS = "tasks.stats.roll_up_visits"
#: The worker imports every module of tasks/ (found without importing them here).
TASK_MODULES = tuple(
    f"tasks.{module.name}"
    for module in pkgutil.iter_modules([str(BASE_DIR / "tasks")])
    if module.name != "celery"
)


def beat_schedule(config):
    """What beat sends, and how often (seconds, from the settings)."""
    return {
        # Even a change made behind the app's back (plain SQL) shows within one period.
        "rebuild-banner-cache": {"task": REBUILD_BANNER_CACHE, "schedule": config["BANNER_REFRESH_SECONDS"]},
        # Idempotent, so hourly: a missed midnight run is caught up within the hour.
        "roll-up-visits": {"task": ROLL_UP_VISITS, "schedule": config["VISITS_ROLLUP_SECONDS"]},
        # Unpaid orders are cancelled by this sweep of the database, not by delayed messages.
        "cancel-overdue-orders": {"task": CANCEL_OVERDUE_ORDERS, "schedule": config["ORDER_SWEEP_SECONDS"]},
        # Reservations whose order task died with a worker (or the broker) get it sent again.
        "republish-stuck-orders": {"task": REPUBLISH_STUCK_ORDERS, "schedule": config["ORDER_SWEEP_SECONDS"]},
        # A sale whose stock Redis lost (a restart without persistence) is loaded again.
        "reload-lost-sales": {"task": RELOAD_LOST_SALES, "schedule": config["ORDER_SWEEP_SECONDS"]},
    }


def celery_config(config, redis_url):
    """Celery's own settings (lower-case, as Celery names them), from the app's; `redis_url` is
    REDIS_URL read (webapp.redis.RedisURL)."""
    broker, backend = broker_urls(config, redis_url)
    timeout = config["CELERY_SOCKET_TIMEOUT"]
    settings = {
        "broker_url": broker,
        "result_backend": backend,
        # JSON only: nothing a user can influence is ever unpickled.
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        "result_expires": 24 * 3600,
        "result_extended": True,
        "task_track_started": True,
        "timezone": config["TIMEZONE"],
        "enable_utc": True,
        "broker_connection_retry_on_startup": True,
        # The Redis broker redelivers unacknowledged messages after this many seconds, delayed
        # (countdown/ETA) ones included: every countdown we use (retries' backoff) stays well
        # below it, and no task holds a message for long (unpaid orders are cancelled by a
        # beat sweep, not by a delayed message). Workers look for such messages about every
        # BROKER_RESTORE_SECONDS (kombu's default: one look in 100 s).
        "broker_transport_options": {
            "visibility_timeout": config["BROKER_VISIBILITY_TIMEOUT"],
            "unacked_restore_interval": config["BROKER_RESTORE_INTERVAL"],
            "unacked_restore_throttle": config["BROKER_RESTORE_THROTTLE"],
        },
        # The result backend's Redis sockets default to 120 s: a stalled Redis would hang a
        # status poll (or a send, which subscribes to the result) for two minutes.
        "result_backend_transport_options": {"retry_policy": {"timeout": timeout}},
        "redis_socket_timeout": timeout,
        "redis_socket_connect_timeout": timeout,
        "worker_prefetch_multiplier": 1,
        "imports": TASK_MODULES,
        # Beat on every host, one sending (webapp/beat.py); its schedule state lives in Redis.
        "beat_schedule": beat_schedule(config),
        "beat_scheduler": "webapp.beat:LeaderScheduler",
        "beat_max_loop_interval": config["BEAT_TICK_SECONDS"],
        "redbeat_redis_url": redis_url.url,
        "redbeat_redis_options": {"socket_timeout": timeout, "socket_connect_timeout": timeout},
        "redbeat_key_prefix": "beat",
        "redbeat_lock_timeout": config["BEAT_LOCK_SECONDS"],
    }
    if broker.startswith(("redis://", "rediss://", "redis+socket://")):
        settings["broker_transport"] = redis_broker.TRANSPORT  # survives a Redis restart
    if broker.startswith("sentinel://"):
        settings["broker_transport"] = redis_broker.SENTINEL_TRANSPORT
        settings["broker_transport_options"]["master_name"] = redis_url.master
    if backend.startswith("sentinel://"):
        settings["result_backend_transport_options"]["master_name"] = redis_url.master
    if redis_url.is_sentinel:
        settings["redbeat_redis_url"] = "redis-sentinel://"
        settings["redbeat_redis_options"].update(
            sentinels=list(redis_url.sentinels), service_name=redis_url.master, db=redis_url.db,
            password=redis_url.password,
            sentinel_kwargs={"socket_timeout": timeout, "password": redis_url.password},
        )  # fmt: skip
    return settings


def broker_urls(config, redis_url):
    """(broker, result backend) as Celery spells them: the settings, else REDIS_URL's server
    (or Sentinels), databases 1 and 2. A setting in this site's redis+sentinel:// form is
    spelled Celery's way too."""
    broker = config["CELERY_BROKER_URL"] or redis_url.celery_url(1)
    backend = config["CELERY_RESULT_BACKEND"] or redis_url.celery_url(2, backend=True)
    if broker.startswith(SENTINEL_SCHEME):
        parsed = parse_redis_url(broker, "CELERY_BROKER_URL")
        broker = parsed.celery_url(parsed.db)
    if backend.startswith(SENTINEL_SCHEME):
        parsed = parse_redis_url(backend, "CELERY_RESULT_BACKEND")
        backend = parsed.celery_url(parsed.db, backend=True)
    return broker, backend


def broker_redis_url():
    """The broker's Redis database as a RedisURL (for the dashboard's queue depths), or None
    for a broker that is not Redis (RabbitMQ)."""
    broker = celery.conf.broker_url
    if broker.startswith("sentinel://"):  # always REDIS_URL's Sentinels (broker_urls)
        return app_redis_url().for_db(int(broker.split(";")[0].rpartition("/")[2] or 0))
    if broker.startswith(("redis://", "rediss://")):
        return parse_redis_url(broker, "CELERY_BROKER_URL")
    if broker.startswith("redis+socket://"):
        return app_redis_url().for_db(int(broker.rpartition("=")[2]))
    return None


def celery_init_app(app):
    """Celery bound to the Flask app, every task run inside the app context (Flask's
    `celery_init_app` pattern)."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    app.config["CELERY"] = celery_config(app.config, app.extensions["redis_url"])
    celery_app = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    # For code that runs outside a task's call, in the worker (the task history's signals).
    celery_app.flask_app = app
    app.extensions["celery"] = celery_app
    return celery_app


#: What `send_task` raises when the broker cannot take the message.
PublishFailed = (OperationalError, LimitExceeded, *RedisUnavailable)

PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}


def _publish_connections():
    """Broker connections with the app's short socket timeouts, pooled once per process.

    Celery's own pool has no socket timeout (kombu's default), so a broker that accepts
    connections but does not answer would hold a web request forever."""
    pool = current_app.extensions.get("broker_pool")
    if pool is None:
        timeout = current_app.config["REDIS_SOCKET_TIMEOUT"]
        options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
        pool = celery.connection_for_write(transport_options=options).Pool(
            limit=current_app.config["BROKER_PUBLISH_POOL"]
        )
        current_app.extensions["broker_pool"] = pool
    return pool


def check_broker():
    """Raise if the broker does not answer, over a pooled connection (one immediate retry)."""
    with _publish_connections().acquire(block=True, timeout=1) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=1)


def send_task(name, args, **options):
    """Queue task `name` (one of the names above) with `args`; returns its AsyncResult.

    One immediate retry, then one of PublishFailed: a dead or stalled broker costs the caller
    about a second instead of Celery's default seconds (or, for a broker that never answers,
    forever). `options` are `apply_async`'s (task_id, countdown, argsrepr, ...)."""
    with _publish_connections().acquire(block=True, timeout=1) as connection:
        return celery.send_task(
            name, args=args, connection=connection, retry=True, retry_policy=PUBLISH_RETRY, **options
        )

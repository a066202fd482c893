"""Which Celery workers are alive, without asking them: every worker process writes a
heartbeat into Redis every WORKER_HEARTBEAT_SECONDS (a sorted set of hostnames scored by time),
and the web reads it with one command. /healthz, the login page and the dashboard use it."""

import contextlib
import logging
import threading
import time

from celery import signals
from flask import current_app

from webapp.extensions import redis_client
from webapp.ops.keys import worker_heartbeats
from webapp.redis import RedisUnavailable

log = logging.getLogger(__name__)


def silent_after():
    """Seconds after which a worker not heard from is gone: three missed heartbeats."""
    return 3 * current_app.config["WORKER_HEARTBEAT_SECONDS"]


def live_workers(now=None):
    """The hostnames of the workers heard from within `silent_after()`, sorted.
    Raises RedisUnavailable when Redis is down."""
    since = (now or time.time()) - silent_after()
    return sorted(name.decode() for name in redis_client.zrangebyscore(worker_heartbeats(), since, "+inf"))


def any_alive():
    """True/False, or None when Redis cannot tell."""
    try:
        return bool(redis_client.zcount(worker_heartbeats(), time.time() - silent_after(), "+inf"))
    except RedisUnavailable:
        return None


class Heartbeat(threading.Thread):
    """A worker's heartbeat: writes its hostname's time until stopped, and forgets old ones."""

    def __init__(self, flask_app, hostname):
        super().__init__(name="heartbeat", daemon=True)
        self.flask_app, self.hostname = flask_app, hostname
        self.every = flask_app.config["WORKER_HEARTBEAT_SECONDS"]
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.beat()
            self.stopped.wait(self.every)
        with self.flask_app.app_context(), contextlib.suppress(*RedisUnavailable):
            redis_client.zrem(worker_heartbeats(), self.hostname)  # gone at once, not after silence

    def beat(self):
        now = time.time()
        with self.flask_app.app_context():
            try:
                pipe = redis_client.pipeline(transaction=False)
                pipe.zadd(worker_heartbeats(), {self.hostname: now})
                pipe.zremrangebyscore(worker_heartbeats(), "-inf", now - 24 * 3600)
                pipe.execute()
            except Exception as error:  # never let the heartbeat thread die: a silent worker looks dead
                log.warning("heartbeat not written (%s); next try in %s s", error, self.every)


_heartbeat = {}


def on_worker_ready(sender=None, **_):
    flask_app = getattr(sender.app, "flask_app", None)
    if flask_app is not None and "thread" not in _heartbeat:
        _heartbeat["thread"] = Heartbeat(flask_app, sender.hostname)
        _heartbeat["thread"].start()


def on_worker_shutdown(sender=None, **_):
    thread = _heartbeat.pop("thread", None)
    if thread is not None:
        thread.stopped.set()
        thread.join(2)


def connect():
    """Start the heartbeat in every worker (idempotent)."""
    signals.worker_ready.connect(on_worker_ready, weak=False, dispatch_uid="workers.ready")
    signals.worker_shutdown.connect(on_worker_shutdown, weak=False, dispatch_uid="workers.shutdown")

"""Redis plumbing: the client factory, what an outage raises, Lua scripts, extra clients.

Every Redis user of the site comes through here: the app's one client (`extensions.redis_client`,
one pool per process, made from REDIS_URL in the factory), the clients for the other databases
(the key browser's, the broker's), and the Lua scripts each feature keeps beside its code.
"""

import redis
from flask import current_app
from redis.backoff import NoBackoff
from redis.retry import Retry
from redis.sentinel import Sentinel

from config import redis_db_url, sentinel_url
from webapp.extensions import redis_client

#: What a caller catches when Redis is down, stalled or refusing us (with Sentinel, also while
#: no master is known during a failover: MasterNotFoundError is a ConnectionError).
RedisUnavailable = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def make_client(url, socket_timeout):
    """One pool per process. Short timeouts and a single immediate retry (for a pooled
    connection that died with a Redis restart) keep a dead Redis from stalling a request;
    redis-py's default of several retries with backoff would hold it for seconds.

    A Sentinel URL (config.sentinel_url) gives a client that asks the Sentinels for the master
    and follows it after a failover (redis-py's SentinelConnectionPool)."""
    options = {
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": socket_timeout,
        "retry": Retry(NoBackoff(), 1, supported_errors=(redis.exceptions.ConnectionError,)),
        "health_check_interval": 30,
    }
    sentinel = sentinel_url(url)
    if sentinel is None:
        return redis.Redis.from_url(url, **options)
    hosts, master, db, password = sentinel
    quick = {"socket_timeout": socket_timeout, "socket_connect_timeout": socket_timeout}
    sentinels = Sentinel(hosts, sentinel_kwargs={**quick, "password": password}, **quick)
    return sentinels.master_for(master, db=db, password=password, **options)


def client_for(url):
    """A client for another Redis URL (the key browser's databases, the broker's), made once
    per app with the same short timeouts as the app's own."""
    clients = current_app.extensions.setdefault("redis_clients", {})
    if url not in clients:
        clients[url] = make_client(url, current_app.config["REDIS_SOCKET_TIMEOUT"])
    return clients[url]


def client_for_db(db):
    """A client for database `db` of the REDIS_URL server."""
    return client_for(redis_db_url(current_app.config["REDIS_URL"], db))


class LuaScript:
    """A Lua script, written as a commented constant beside the feature that owns it:

        RESERVE = LuaScript('''...''')
        RESERVE(keys=[...], args=[...])

    It runs on the app's client (or `client=`, a pipeline included). As redis-py's own `Lock`
    does, the script is registered once and run by its SHA; Redis loads it again by itself on
    NOSCRIPT (after a restart, or on a server that never saw it)."""

    def __init__(self, source):
        self.source = source
        self._script = None

    def __call__(self, keys=(), args=(), client=None):
        if client is None:
            client = redis_client._get_current_object()
        if self._script is None:
            self._script = client.register_script(self.source)
        return self._script(keys=keys, args=args, client=client)

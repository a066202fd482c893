"""Redis plumbing: reading a Redis URL, making clients, what an outage raises, Lua scripts, and
batches of commands sent in one round trip.

Every Redis user of the site comes through here: the app's one client (`extensions.redis_client`,
one pool per process, made from REDIS_URL in the factory), the clients for the other databases
(the key browser's, the broker's), Celery's and beat's URLs (`RedisURL.celery_url`), and the Lua
scripts each feature keeps beside its code.
"""

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from flask import current_app
from redis.backoff import NoBackoff
from redis.retry import Retry
from redis.sentinel import Sentinel

from webapp.extensions import redis_client
from webapp.settings import ConfigError

#: What a caller catches when Redis is down, stalled or refusing us (with Sentinel, also while
#: no master is known during a failover: MasterNotFoundError is a ConnectionError).
RedisUnavailable = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

SERVER_SCHEMES = ("redis://", "rediss://", "unix://")
SENTINEL_SCHEME = "redis+sentinel://"


@dataclass(frozen=True)
class RedisURL:
    """A Redis URL, read once: one server (redis://, rediss://, unix://) or a Sentinel set
    (redis+sentinel://[:password@]host1:port1,host2:port2/<master>/<db>, Flask-Limiter's form)."""

    url: str
    db: int = 0
    sentinels: tuple = ()  # ((host, port), ...)
    master: str | None = None  # the name the Sentinels know the master by
    password: str | None = None

    @property
    def is_sentinel(self):
        return bool(self.sentinels)

    @property
    def local_port(self):
        """The port of a single server on this machine (one `scripts/run.sh` may start), else None."""
        parts = urlsplit(self.url)
        if self.is_sentinel or parts.scheme != "redis" or parts.hostname not in ("127.0.0.1", "localhost"):
            return None
        return parts.port or 6379

    def for_db(self, db):
        """The same server (or Sentinel set), database `db`."""
        if self.is_sentinel:
            return replace(self, db=db, url=f"{self.url.rpartition('/')[0]}/{db}")
        parts = urlsplit(self.url)
        query = {name: value for name, value in parse_qsl(parts.query) if name != "db"}
        if parts.scheme == "unix":  # urlunsplit would drop the empty host: unix:/path
            return replace(self, db=db, url=f"unix://{parts.path}?{urlencode({**query, 'db': db})}")
        return replace(self, db=db, url=urlunsplit(parts._replace(path=f"/{db}", query=urlencode(query))))

    def celery_url(self, db, backend=False):
        """Celery's spelling of database `db`: Sentinel as sentinel://h1:p1/db;sentinel://h2:p2/db
        (the master's name goes in the transport options), a socket as kombu's socket URL."""
        auth = f":{self.password}@" if self.password else ""
        if self.is_sentinel:
            return ";".join(f"sentinel://{auth}{host}:{port}/{db}" for host, port in self.sentinels)
        parts = urlsplit(self.url)
        if parts.scheme == "unix":
            return f"{'' if backend else 'redis+'}socket://{auth}{parts.path}?virtual_host={db}"
        return self.for_db(db).url


def parse_redis_url(url, setting="REDIS_URL"):
    """`url` as a RedisURL, or ConfigError saying what is wrong with it (`setting` names it)."""
    if url.startswith(SENTINEL_SCHEME):
        return _parse_sentinel(url, setting)
    if not url.startswith(SERVER_SCHEMES):
        raise ConfigError(
            f"{setting} must start with redis://, rediss://, unix:// or redis+sentinel://, not {url!r}."
        )
    try:
        options = redis.connection.parse_url(url)
    except ValueError as error:
        raise ConfigError(f"{setting} is not a Redis URL ({error}): {url!r}.") from None
    db = options.get("db", 0)
    if not isinstance(db, int) or not 0 <= db < 16:
        raise ConfigError(f"{setting} must name a database from 0 to 15: {url!r}.")
    return RedisURL(url=url, db=db, password=options.get("password"))


def _parse_sentinel(url, setting):
    auth, _, rest = url[len(SENTINEL_SCHEME) :].rpartition("@")
    hosts, _, path = rest.partition("/")
    master, _, db = path.strip("/").partition("/")
    if not hosts or not master:
        raise ConfigError(f"{setting} needs the Sentinels and the master's name: {url!r}.")
    try:
        sentinels = tuple(
            (host, int(port or 26379)) for host, _, port in (h.partition(":") for h in hosts.split(","))
        )
        db = int(db or 0)
    except ValueError:
        raise ConfigError(f"{setting} has a port or database that is not a number: {url!r}.") from None
    return RedisURL(
        url=url, db=db, sentinels=sentinels, master=master, password=auth.partition(":")[2] or None
    )


def make_client(url, socket_timeout):
    """A client (one pool) for `url` (a RedisURL or its text). Short timeouts and a single
    immediate retry (for a pooled connection that died with a Redis restart) keep a dead Redis
    from stalling a request; redis-py's default of several retries with backoff would hold it
    for seconds. With Sentinel, the client asks the Sentinels for the master and follows it
    after a failover (redis-py's SentinelConnectionPool)."""
    url = url if isinstance(url, RedisURL) else parse_redis_url(url)
    options = {
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": socket_timeout,
        "retry": Retry(NoBackoff(), 1, supported_errors=(redis.exceptions.ConnectionError,)),
        "health_check_interval": 30,
    }
    if not url.is_sentinel:
        return redis.Redis.from_url(url.url, **options)
    quick = {"socket_timeout": socket_timeout, "socket_connect_timeout": socket_timeout}
    sentinels = Sentinel(url.sentinels, sentinel_kwargs={**quick, "password": url.password}, **quick)
    return sentinels.master_for(url.master, db=url.db, password=url.password, **options)


def app_redis_url():
    """The app's REDIS_URL, read once per app."""
    return current_app.extensions["redis_url"]


def client_for(url):
    """A client for another Redis URL (a RedisURL: the key browser's databases, the broker's),
    made once per app with the same short timeouts as the app's own."""
    clients = current_app.extensions.setdefault("redis_clients", {})
    if url not in clients:
        clients[url] = make_client(url, current_app.config["REDIS_SOCKET_TIMEOUT"])
    return clients[url]


def client_for_db(db):
    """A client for database `db` of the REDIS_URL server."""
    return client_for(app_redis_url().for_db(db))


def init_app(app):
    """The app's one client, from REDIS_URL (ConfigError, at start, for a URL it cannot use)."""
    url = parse_redis_url(app.config["REDIS_URL"])
    app.extensions["redis_url"] = url
    app.extensions["redis"] = make_client(url, app.config["REDIS_SOCKET_TIMEOUT"])


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


class Reply:
    """What a `Batch` hands back for one contributor: its `value` once the batch has run."""

    __slots__ = ("value",)


class Batch:
    """Commands from several modules sent to Redis in one round trip, each module reading only
    its own replies:

        batch = Batch()
        counts = visits.queue_visit(batch, ...)  # a Reply
        batch.execute()
        counts.value

    A contributor queues its commands on `batch.pipe` inside `batch.add(queue, read)`, where
    `read` turns exactly those commands' replies into its value."""

    def __init__(self, client=None):
        self.pipe = (client or redis_client).pipeline(transaction=False)
        self._readers = []

    def add(self, queue, read):
        start = len(self.pipe)
        queue(self.pipe)
        reply = Reply()
        self._readers.append((start, len(self.pipe), read, reply))
        return reply

    def execute(self):
        replies = self.pipe.execute()
        for start, end, read, reply in self._readers:
            reply.value = read(replies[start:end])

"""The cache: Flask-Caching on the app's Redis client storing JSON (never pickle), and
cache-aside with single flight and a last good copy on top of it.

One `CachedJSON` per cached thing (the banner list, an API response). When the value is missing
exactly one process loads it from the database, under a short Redis lock, while the others
wait briefly for it or serve the last good copy.
"""

import logging
import random
import time

from cachelib.serializers import JSONSerializer
from flask import current_app
from flask_caching.backends.rediscache import RedisCache
from redis.exceptions import LockError

from webapp.clock import utcnow
from webapp.extensions import cache, redis_client
from webapp.redis import Batch, RedisUnavailable

log = logging.getLogger(__name__)

_MISSING = object()


class _JSON(JSONSerializer):
    def loads(self, bvalue, *args, **kwargs):
        return None if bvalue is None else super().loads(bvalue, *args, **kwargs)


class JSONRedisCache(RedisCache):
    """Flask-Caching's Redis backend, storing JSON instead of pickle and sharing the app's
    Redis client. Selected by CACHE_TYPE = "webapp.caching.JSONRedisCache"."""

    serializer = _JSON()

    @classmethod
    def factory(cls, app, config, args, kwargs):
        kwargs.update(
            host=app.extensions["redis"],
            key_prefix=config["CACHE_KEY_PREFIX"],
            default_timeout=config["CACHE_DEFAULT_TIMEOUT"],
        )
        return cls(*args, **kwargs)

    def raw_key(self, key):
        """The Redis key Flask-Caching stores `key` under (for pipelined reads)."""
        return f"{self._get_prefix()}{key}"

    def decode(self, raw):
        return self.serializer.loads(raw)

    def clear(self):
        """Delete our prefix's keys with SCAN, never KEYS or FLUSHDB."""
        client = self._write_client
        deleted = 0
        batch = []
        for key in client.scan_iter(match=f"{self._get_prefix()}*", count=500):
            batch.append(key)
            if len(batch) == 500:
                deleted += client.unlink(*batch)
                batch = []
        if batch:
            deleted += client.unlink(*batch)
        return deleted


class CachedJSON:
    """A JSON value cached under `name`, loaded by `loader()` on a miss.

    `ttl_setting` names the config key holding the time to live in seconds; a random jitter
    of up to 10% is added so keys written together do not all expire together. `stats_ttl`
    bounds the read/miss figures of a name made from a request (one per id asked for): they
    expire that long after the last read, so random ids leave nothing for good.

    A value made once for the site (not per request) is given a `title` and `describe(value)`
    ("with 4 active banners"): it is then listed in `rebuildable`, which `flask cache rebuild`
    rebuilds.
    """

    #: name -> the site's cached lists, for `flask cache rebuild`.
    rebuildable = {}

    def __init__(self, name, loader, ttl_setting, stats_ttl=None, title=None, describe=None):
        self.name = name
        self.loader = loader
        self.ttl_setting = ttl_setting
        self.stats_ttl = stats_ttl
        self.title, self.describe = title, describe
        if title:
            CachedJSON.rebuildable[name] = self

    # Every Redis key of a cached value, in one place.
    @property
    def key(self):
        """String: the value's JSON, under Flask-Caching's prefix; expires by its TTL."""
        return cache.cache.raw_key(self.name)

    @property
    def stale_key(self):
        """String: the last good copy, kept without expiry for the moments it is reloaded."""
        return f"stale:{self.name}"

    @property
    def lock_key(self):
        """String: held by the one process loading the value (CACHE_LOCK_SECONDS at most)."""
        return f"lock:{self.name}"

    @property
    def stats_key(self):
        """Hash {reads, misses, rebuilt_at} for the dashboard's hit ratio."""
        return f"stats:{self.name}"

    def queue_read(self, batch):
        """Read the value (and count the read) in `batch` (webapp.redis.Batch); returns the
        Reply whose value is the raw cached bytes (or None), to hand to `get` or `get_json`."""

        def queue(pipe):
            pipe.hincrby(self.stats_key, "reads", 1)
            if self.stats_ttl:
                pipe.expire(self.stats_key, self.stats_ttl)
            pipe.get(self.key)

        return batch.add(queue, lambda replies: replies[-1])

    def get(self, raw=_MISSING):
        """The value: from Redis when cached (or from `raw`, a pipelined GET reply), else
        loaded once across all processes. Raises RedisUnavailable when Redis is down."""
        return cache.cache.decode(self.get_json(raw))

    def get_json(self, raw=_MISSING):
        """The value as its JSON bytes, undecoded, from the same places as `get`. A write
        replaces the bytes, so they serve as the value's version (the anonymous homepage is
        rendered once per version)."""
        if raw is _MISSING:
            reply = self.queue_read(batch := Batch())
            batch.execute()
            raw = reply.value
        if raw is not None:
            return raw
        redis_client.hincrby(self.stats_key, "misses", 1)
        return self._load_single_flight()

    def _load_single_flight(self):
        config = current_app.config
        lock = redis_client.lock(self.lock_key, timeout=config["CACHE_LOCK_SECONDS"], blocking=False)
        if lock.acquire(blocking=False):
            try:
                # Another request may have filled it between our miss and our lock.
                raw = redis_client.get(self.key)
                if raw is not None:
                    return raw
                return self._load_and_store()
            finally:
                try:
                    lock.release()
                except LockError:
                    log.warning("cache lock %s expired while loading", self.lock_key)

        deadline = time.monotonic() + config["CACHE_WAIT_SECONDS"]
        while time.monotonic() < deadline:
            time.sleep(config["CACHE_POLL_SECONDS"])
            raw = redis_client.get(self.key)
            if raw is not None:
                return raw
        stale = redis_client.get(self.stale_key)
        if stale is not None:
            return stale
        log.warning(
            "no cached copy of %s after %.1fs; loading it ourselves", self.name, config["CACHE_WAIT_SECONDS"]
        )
        return cache.cache.serializer.dumps(self.loader())

    def _load_and_store(self):
        """Load the value, cache it, and return its JSON bytes."""
        encoded = cache.cache.serializer.dumps(self.loader())
        self._store_json(encoded)
        return encoded

    def store(self, value):
        self._store_json(cache.cache.serializer.dumps(value))

    def _store_json(self, encoded):
        ttl = current_app.config[self.ttl_setting]
        ttl += random.randint(0, max(1, ttl // 10))
        pipe = redis_client.pipeline(transaction=False)
        pipe.set(self.key, encoded, ex=ttl)
        pipe.set(self.stale_key, encoded)  # the last good copy, served while another reloads
        pipe.execute()

    def rebuild(self):
        """Rewrite the cached value from the database (the beat task calls this)."""
        encoded = self._load_and_store()
        redis_client.hset(self.stats_key, "rebuilt_at", utcnow().isoformat())
        return cache.cache.decode(encoded)

    def invalidate(self):
        """Forget the cached value; call after the database change is committed, so a
        reader between the two sees the old row and re-caches nothing stale.

        Returns False when Redis is unreachable: the database change stands, and the cached
        copy expires by its TTL or is rewritten by the next beat rebuild."""
        try:
            redis_client.delete(self.key)
        except RedisUnavailable as error:
            log.warning("could not invalidate %s (%s); it refreshes within its TTL", self.name, error)
            return False
        return True

    def stats(self):
        """Reads, misses, hits, hit ratio, remaining TTL and last rebuild, for the dashboard."""
        pipe = redis_client.pipeline(transaction=False)
        pipe.hgetall(self.stats_key)
        pipe.ttl(self.key)
        raw, ttl = pipe.execute()
        fields = {k.decode(): v.decode() for k, v in raw.items()}
        reads = int(fields.get("reads", 0))
        misses = int(fields.get("misses", 0))
        hits = max(reads - misses, 0)
        return {
            "reads": reads,
            "hits": hits,
            "misses": misses,
            "hit_ratio": hits / reads if reads else None,
            "ttl": ttl,
            "rebuilt_at": fields.get("rebuilt_at"),
        }

"""The Redis client and the JSON-only cache backend built on it."""

import redis
from cachelib.serializers import JSONSerializer
from flask_caching.backends.rediscache import RedisCache
from redis.backoff import NoBackoff
from redis.retry import Retry

#: What a caller catches when Redis is down, stalled or refusing us.
RedisUnavailable = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def make_redis_client(url, socket_timeout):
    """One pool per process. Short timeouts and a single immediate retry (for a pooled
    connection that died with a Redis restart) keep a dead Redis from stalling a request."""
    return redis.Redis.from_url(
        url,
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        retry=Retry(NoBackoff(), 1, supported_errors=(redis.exceptions.ConnectionError,)),
        health_check_interval=30,
    )


class _JSON(JSONSerializer):
    def loads(self, bvalue, *args, **kwargs):
        return None if bvalue is None else super().loads(bvalue, *args, **kwargs)


class JSONRedisCache(RedisCache):
    """Flask-Caching's Redis backend, storing JSON instead of pickle and sharing the app's
    Redis client. Select it with CACHE_TYPE = "webapp.redis_store.JSONRedisCache"."""

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

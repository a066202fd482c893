"""The Redis broker transport, with one fix: a worker survives a Redis restart.

For celery 5.7.0 with kombu 5.7.0 (the versions pinned in requirements.txt; tests/faults/
test_worker_survives_redis.py fails if an upgrade brings the crash back or makes this
unnecessary). The bug, in docs/kombu-redis-restart.md as an upstream report:

When the broker connection is lost, Celery's consumer calls `connection.collect()`, which
detaches the transport from its connection (`transport.client = None`), and then
`connection.close()`, which closes the default channel. Closing a Redis channel whose QoS still
holds unacknowledged messages (every delayed task, every running acks_late task) restores them:
that builds a new connection pool from `transport.client`, which is now None, and raises
AttributeError ('NoneType' object has no attribute 'hostname'). That is not a connection error,
so it escapes `ignore_errors` and the worker exits ("Unrecoverable error"). A plain dropped
connection is survived only because the restore then happens to succeed.

The fix: a channel closed after its transport was detached does not restore its unacked
messages itself. Nothing is lost by that: Redis still holds them in its `unacked` hash, from
which kombu's `restore_visible` puts them back after the visibility timeout, and this site's
beat sweeps do not wait for that (docs/reliability.md).
"""

import logging

from kombu.transport import redis as kombu_redis

log = logging.getLogger(__name__)


class Channel(kombu_redis.Channel):
    def close(self):
        if not self.closed and self.connection.client is None:  # detached by Connection.collect()
            self.do_restore = False  # what QoS.restore_unacked_once checks
            held = len(self._qos._delivered) if self._qos is not None else 0
            if held:
                log.warning(
                    "Broker connection lost holding %d unacknowledged message(s): they stay in "
                    "Redis and are restored after the visibility timeout",
                    held,
                )
        super().close()


class Transport(kombu_redis.Transport):
    Channel = Channel


class SentinelChannel(Channel, kombu_redis.SentinelChannel):
    pass


class SentinelTransport(kombu_redis.SentinelTransport):
    Channel = SentinelChannel


#: What `broker_transport` names for a redis:// broker URL, and for a sentinel:// one.
TRANSPORT = f"{__name__}:Transport"
SENTINEL_TRANSPORT = f"{__name__}:SentinelTransport"

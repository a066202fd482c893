"""What the dashboard shows about Celery: workers, queue lengths, the beat schedule."""

import contextlib

from celery.schedules import maybe_schedule

from webapp.clock import as_utc, utcnow
from webapp.extensions import celery
from webapp.jobs import broker_redis_url
from webapp.ops.workers import live_workers
from webapp.redis import client_for

# Kombu's Redis transport keeps each priority level of a queue in its own list:
# "celery" for the default level, "celery\x06\x163", "...6", "...9" for the others.
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (3, 6, 9)


def queue_names():
    names = [celery.conf.task_default_queue]
    names += [q.name for q in (celery.conf.task_queues or ()) if q.name not in names]
    return names


def queue_lengths():
    """{queue: messages waiting}, from a Redis broker or an AMQP one (RabbitMQ). Raises
    RedisUnavailable or kombu's OperationalError when the broker is down."""
    broker = broker_redis_url()
    return _amqp_queue_lengths() if broker is None else _redis_queue_lengths(client_for(broker))


def _amqp_queue_lengths():
    """A passive declare answers a queue's message count without creating or changing it."""
    lengths = {}
    with celery.connection_for_read() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
        for name in queue_names():
            channel = connection.channel()
            try:
                lengths[name] = channel.queue_declare(queue=name, passive=True).message_count
            except connection.channel_errors:
                lengths[name] = 0  # not declared yet: no worker has consumed it, nothing sent
            finally:
                with contextlib.suppress(Exception):
                    channel.close()
    return lengths


def _redis_queue_lengths(client):
    pipe = client.pipeline(transaction=False)
    names = queue_names()
    for name in names:
        pipe.llen(name)
        for step in PRIORITY_STEPS:
            pipe.llen(f"{name}{PRIORITY_SEPARATOR}{step}")
    replies = pipe.execute()
    per_queue = len(PRIORITY_STEPS) + 1
    return {name: sum(replies[i * per_queue : (i + 1) * per_queue]) for i, name in enumerate(names)}


def workers():
    """The names of the workers alive by their heartbeat (ops/workers.py): no ping, so the
    dashboard's refresh never waits for a busy worker's answer."""
    return live_workers()


def beat_schedule(last_runs, now=None):
    """Each beat entry with its interval, last run (the newest recorded run of its task, see
    task_log) and next run (estimated from the last one by the entry's own schedule)."""
    now = now or utcnow()
    entries = []
    for name, entry in sorted(celery.conf.beat_schedule.items()):
        schedule = maybe_schedule(entry["schedule"], app=celery)
        last = last_runs.get(entry["task"])
        last = as_utc(last) if last is not None else None
        following = now + schedule.remaining_estimate(last) if last else None
        entries.append(
            {
                "name": name,
                "task": entry["task"],
                "every": str(schedule.human_seconds if hasattr(schedule, "human_seconds") else schedule),
                "last_run": last.isoformat() if last else None,
                "next_run": max(following, now).isoformat() if following else None,
            }
        )
    return entries

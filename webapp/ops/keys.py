"""Every Redis key of the operations package, built in this one place."""


def worker_heartbeats():
    """Sorted set: worker hostname -> the time of its last heartbeat (epoch seconds)."""
    return "workers:heartbeat"

"""Revoked sessions, as the Buy click sees them: Redis keeps a copy of each user's session
version (the database's is the record), so a click that loads no user can still refuse a
session that was logged out since it was made.

The check is a read before the reservation script, not a part of it: the two keys live in
different slots of a Redis Cluster (the user's, the sale's), and they need not be one atomic
step. A logout that races a click may be ordered after it, as it would be for any page; a
click made after the logout has returned reads the new version and is refused."""

from webapp.auth import keys
from webapp.auth.errors import SessionRevoked
from webapp.extensions import redis_client


def check_not_revoked(user_id, session_version):
    """Raise SessionRevoked if the user's sessions were revoked after this one was made."""
    current = redis_client.get(keys.session_version(user_id))
    if current is not None and int(current) > session_version:
        raise SessionRevoked()


def record_version(user_id, version):
    """Copy the user's raised session version to Redis (after the database commit)."""
    redis_client.set(keys.session_version(user_id), version)

"""A read-only Redis key browser: SCAN pages (never KEYS), typed previews, masked secrets.

Per page: one SCAN loop, then one pipeline for TYPE/TTL/MEMORY USAGE, one for the previews,
and one for the HyperLogLog counts if any. A key that vanishes between SCAN and the reads is
skipped; an empty aggregate does not exist in Redis, so "gone" is simply EXISTS = 0.
"""

from dataclasses import dataclass, field

from flask import current_app

from webapp.admin.dashboard.redis_values import add_previews, text
from webapp.auth import keys as auth_keys
from webapp.redis import RedisUnavailable, client_for_db

PAGE_SIZE = 50
MAX_SCAN_CALLS = 20  # a sparse match may need several SCAN calls to fill a page
DATABASES = 16


@dataclass
class KeyRow:
    name: str
    type: str
    ttl: int
    memory: int | None
    size: int | None = None  # length, cardinality or string length
    preview: list = field(default_factory=list)  # lines of text
    masked: bool = False
    truncated: bool = False


@dataclass
class Page:
    rows: list
    next_cursor: int  # 0: the scan is complete


def browse_or_none(db, pattern, cursor):
    """`browse`, or None while Redis is unreachable."""
    try:
        return browse(db, pattern, cursor)
    except RedisUnavailable:
        return None


def masked_prefixes():
    """Keys whose values are never shown: the login code hashes (always, asked of the login's
    own key builder) and whatever ADMIN_MASKED_KEY_PREFIXES names (sessions, ...)."""
    configured = current_app.config["ADMIN_MASKED_KEY_PREFIXES"]
    return (auth_keys.code(""), *(p.strip() for p in configured.split(",") if p.strip()))


def browse(db, pattern="*", cursor=0, page_size=PAGE_SIZE):
    """One page of keys matching `pattern` in database `db`, from SCAN position `cursor`."""
    client = client_for_db(db)
    names = []
    for _ in range(MAX_SCAN_CALLS):
        cursor, batch = client.scan(cursor, match=pattern, count=page_size)
        names.extend(batch)
        if cursor == 0 or len(names) >= page_size:
            break
    return Page(rows=describe(client, names), next_cursor=cursor)


def describe(client, names):
    pipe = client.pipeline(transaction=False)
    for name in names:
        pipe.type(name)
        pipe.ttl(name)
        pipe.memory_usage(name)
    meta = pipe.execute(raise_on_error=False)
    rows = []
    for i, name in enumerate(names):
        kind, ttl, memory = meta[3 * i : 3 * i + 3]
        kind = text(kind)
        if kind == "none":
            continue  # vanished between SCAN and now
        rows.append(KeyRow(text(name), kind, ttl, memory if isinstance(memory, int) else None))
    return add_previews(client, rows, masked_prefixes())

"""Value previews for the key browser, one small reader per Redis type.

Each type queues a fixed number of reads (a size and a bounded sample) on a pipeline, so a
huge list or hash costs the same as a small one; masked keys queue no value read at all.
"""

PREVIEW_ITEMS = 20
PREVIEW_CHARS = 200
MASK = "•••••• (masked)"
HLL_MAGIC = b"HYLL"  # how Redis marks a string holding a HyperLogLog


def text(value, limit=PREVIEW_CHARS):
    value = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return value if len(value) <= limit else value[:limit] + "…"


def _string(pipe, name):
    pipe.strlen(name)
    pipe.getrange(name, 0, PREVIEW_CHARS - 1)


def _read_string(row, size, head):
    row.size = size
    if head.startswith(HLL_MAGIC):
        row.type = "hyperloglog"  # its count is read in one more pipeline, below
        return
    row.preview = [text(head)]
    row.truncated = size > PREVIEW_CHARS


def _read_items(row, size, items):
    row.size = size
    row.preview = [text(item) for item in items]
    row.truncated = size > len(items)


def _read_scanned(row, size, reply):
    _cursor, items = reply
    if isinstance(items, dict):
        items = [f"{text(k, 60)} = {text(v)}" for k, v in items.items()]
    _read_items(row, size, list(items)[:PREVIEW_ITEMS])


def _read_zset(row, size, members):
    _read_items(row, size, [f"{text(m)} ({score:g})" for m, score in members])


def _nothing(pipe, name):
    pass


def _read_nothing(row):
    row.preview = [f"({row.type}: no preview)"]


# type -> (queue the reads, how many replies they give, read the replies into the row)
READERS = {
    "string": (_string, 2, _read_string),
    "list": (lambda p, n: (p.llen(n), p.lrange(n, 0, PREVIEW_ITEMS - 1)), 2, _read_items),
    "hash": (lambda p, n: (p.hlen(n), p.hscan(n, 0, count=PREVIEW_ITEMS)), 2, _read_scanned),
    "set": (lambda p, n: (p.scard(n), p.sscan(n, 0, count=PREVIEW_ITEMS)), 2, _read_scanned),
    "zset": (
        lambda p, n: (p.zcard(n), p.zrange(n, 0, PREVIEW_ITEMS - 1, withscores=True)),
        2,
        _read_zset,
    ),
}
OTHER = (_nothing, 0, _read_nothing)


def add_previews(client, rows, masked_prefixes):
    """Fill each row's preview; returns the rows whose key still exists."""
    pipe = client.pipeline(transaction=False)
    for row in rows:
        row.masked = row.name.startswith(masked_prefixes)
        pipe.exists(row.name)
        if not row.masked:
            READERS.get(row.type, OTHER)[0](pipe, row.name)
    replies = iter(pipe.execute(raise_on_error=False))
    present = []
    for row in rows:
        exists = next(replies)
        queue, count, read = (_nothing, 0, None) if row.masked else READERS.get(row.type, OTHER)
        values = [next(replies) for _ in range(count)]
        if not exists or any(isinstance(v, Exception) for v in values):
            continue  # vanished (or changed type) between SCAN and these reads
        if row.masked:
            row.preview = [MASK]
        else:
            read(row, *values)
        present.append(row)
    _count_hyperloglogs(client, [row for row in present if row.type == "hyperloglog"])
    return present


def _count_hyperloglogs(client, rows):
    if not rows:
        return
    pipe = client.pipeline(transaction=False)
    for row in rows:
        pipe.pfcount(row.name)
    for row, count in zip(rows, pipe.execute(raise_on_error=False), strict=True):
        row.preview = [f"≈ {count} distinct" if isinstance(count, int) else "(unreadable)"]

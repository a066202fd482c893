"""The Redis key browser: SCAN pages, filters, typed previews, masking, vanished keys."""

import re

from tests.support import counting_round_trips
from webapp.admin.dashboard import redis_browser
from webapp.admin.dashboard.redis_values import MASK, add_previews
from webapp.redis import client_for_db


def keys_on(page):
    return re.findall(r'<tr data-key="([^"]+)"', page)


def next_link(page):
    match = re.search(r'data-next-page href="([^"]+)"', page)
    return match.group(1).replace("&amp;", "&") if match else None


def test_scan_pages_cover_every_key_exactly_once_and_never_use_keys(
    client, admin, redis_client, redis_server
):
    redis_client.delete("workers:heartbeat")  # exactly these 130 keys, as this test was measured with
    redis_client.mset({f"item:{i}": i for i in range(130)})
    keys_calls = redis_server.client().info("commandstats").get("cmdstat_keys", {}).get("calls", 0)
    url, seen, pages = "/admin/redis?match=item:*", [], 0
    while url:
        page = client.get(url).data.decode()
        seen += keys_on(page)
        url, pages = next_link(page), pages + 1
    assert pages >= 3
    assert sorted(seen) == sorted(f"item:{i}" for i in range(130))
    assert redis_server.client().info("commandstats").get("cmdstat_keys", {}).get("calls", 0) == keys_calls


def test_pattern_and_database_filters(client, admin, redis_client, redis_server):
    redis_client.mset({"user:1": "a", "user:2": "b", "order:1": "c"})
    other = redis_server.client(3)
    other.set("elsewhere", "x")
    try:
        assert sorted(keys_on(client.get("/admin/redis?match=user:*").data.decode())) == ["user:1", "user:2"]
        assert keys_on(client.get("/admin/redis?db=3").data.decode()) == ["elsewhere"]
    finally:
        other.delete("elsewhere")


def test_each_type_gets_a_preview_suited_to_it(client, admin, redis_client):
    redis_client.set("t:string", "hello")
    redis_client.rpush("t:list", "a", "b")
    redis_client.hset("t:hash", mapping={"field": "value"})
    redis_client.sadd("t:set", "member")
    redis_client.zadd("t:zset", {"leader": 5})
    redis_client.pfadd("t:hll", *[f"v{i}" for i in range(100)])
    redis_client.expire("t:string", 100)
    page = client.get("/admin/redis?match=t:*").data.decode()
    row = {name: re.search(rf'data-key="{name}">(.*?)</tr>', page, re.S).group(1) for name in keys_on(page)}
    assert (
        "<td>string</td>" in row["t:string"]
        and "hello" in row["t:string"]
        and "<td>100</td>" in row["t:string"]
    )
    assert "<td>list</td>" in row["t:list"] and "<div>a</div><div>b</div>" in row["t:list"]
    assert "field = value" in row["t:hash"]
    assert "<td>set</td>" in row["t:set"] and "member" in row["t:set"]
    assert "leader (5)" in row["t:zset"]
    assert "<td>hyperloglog</td>" in row["t:hll"]
    count = int(re.search(r"≈ (\d+) distinct", row["t:hll"]).group(1))
    assert 95 <= count <= 105


def test_sensitive_values_are_masked(app, client, admin, redis_client):
    from webapp.auth import keys

    redis_client.hset(keys.code("+8613800000001"), mapping={"verifier": "keyed-hash-of-the-code"})
    redis_client.hset("session:abc", mapping={"_user_id": "1"})
    app.config["ADMIN_MASKED_KEY_PREFIXES"] = "session:"  # code hashes stay masked whatever this says
    page = client.get("/admin/redis").data.decode()
    assert "keyed-hash-of-the-code" not in page and "_user_id" not in page
    assert page.count(MASK) == 2


def test_large_values_are_truncated(client, admin, redis_client):
    redis_client.set("big:string", "x" * 10_000)
    redis_client.rpush("big:list", *range(1000))
    page = client.get("/admin/redis?match=big:*").data.decode()
    assert "x" * 200 in page and "x" * 201 not in page
    assert page.count("(truncated)") == 2
    assert "<td>1000</td>" in page


def test_a_key_that_vanishes_between_scan_and_read_is_skipped(app, redis_client):
    redis_client.mset({"stay": 1, "go": 2, "go-too": 3})
    with app.app_context():
        client = client_for_db(0)
        rows = redis_browser.describe(client, [b"stay", b"never-there"])
        assert [row.name for row in rows] == ["stay"]
        # Read the metadata, then lose keys before the previews are read.
        rows = redis_browser.describe(client, [b"go"])
        redis_client.delete("go")
        assert add_previews(client, rows, ()) == []


def test_bad_filters_answer_400_with_a_reason(client, admin):
    for query, reason in [
        ("db=99", b"from 0 to 15"),
        ("db=abc", b"whole number"),
        ("cursor=-1", b"whole number"),
    ]:
        response = client.get(f"/admin/redis?{query}")
        assert response.status_code == 400
        assert reason in response.data


def test_the_browser_says_so_when_redis_is_down(client, admin, redis_server):
    with redis_server.down():
        response = client.get("/admin/redis")
    assert response.status_code == 503
    assert b"Redis is not reachable" in response.data


def test_a_page_of_keys_costs_a_few_round_trips_not_one_per_key(app, client, admin, redis_client):
    redis_client.mset({f"s:{i}": i for i in range(20)})
    redis_client.rpush("l:1", 1)
    redis_client.pfadd("h:1", "a")
    client.get("/admin/redis")  # connect and warm up
    with counting_round_trips() as sends:
        page = client.get("/admin/redis?match=*").data.decode()
    assert len(keys_on(page)) == 22
    # One SCAN, one pipeline of TYPE/TTL/MEMORY USAGE, one of previews, one of PFCOUNTs.
    assert len(sends) == 4

"""The homepage: cached carousel, single flight, counters, one round trip, Redis outages."""

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support import command_calls, counting_round_trips, csrf_token, wait_for
from webapp.clock import today
from webapp.extensions import db
from webapp.home.carousel import banner_list, save_banner
from webapp.home.models import Banner
from webapp.stats import keys as stats_keys


def banner_ids(response):
    return [int(x) for x in re.findall(rb'data-banner-id="(\d+)"', response.data)]


def counter(response, name):
    match = re.search(rf'data-{name}="(\d+)"'.encode(), response.data)
    return int(match.group(1)) if match else None


def test_homepage_shows_every_active_banner_in_order(client, banners):
    response = client.get("/")
    assert response.status_code == 200
    assert banner_ids(response) == banners
    assert b"Flash sale: noise-cancelling headphones" in response.data
    assert b'class="slide is-active"' in response.data  # first slide visible without JS


def test_homepage_serves_carousel_from_cache_after_first_visit(client, banners, banner_queries):
    client.get("/")
    assert banner_queries["n"] == 1
    for _ in range(5):
        assert banner_ids(client.get("/")) == banners
    assert banner_queries["n"] == 1


def test_cached_banner_list_is_json_with_ttl_and_jitter(app, client, banners, redis_client):
    client.get("/")
    with app.app_context():
        key = banner_list.key
    raw = redis_client.get(key)
    assert [b["id"] for b in json.loads(raw)] == banners  # JSON, not pickle
    ttl = redis_client.ttl(key)
    base = app.config["BANNER_CACHE_TTL"]
    assert base - 5 <= ttl <= base + base // 10


def test_cache_stats_count_reads_and_misses(app, client, banners):
    for _ in range(4):
        client.get("/")
    with app.app_context():
        stats = banner_list.stats()
    assert (stats["reads"], stats["misses"], stats["hits"]) == (4, 1, 3)


@pytest.mark.concurrency
def test_cold_cache_stampede_queries_the_database_once(app, banners, banner_queries):
    requests = 50
    barrier = threading.Barrier(requests)

    def visit(_):
        barrier.wait()
        return app.test_client().get("/")

    with ThreadPoolExecutor(requests) as pool:
        responses = list(pool.map(visit, range(requests)))
    assert all(r.status_code == 200 for r in responses)
    assert all(banner_ids(r) == banners for r in responses)
    assert banner_queries["n"] == 1


@pytest.mark.concurrency
def test_concurrent_visits_are_all_counted(app, banners):
    requests = 60
    barrier = threading.Barrier(20)

    def visit(i):
        if i < 20:
            barrier.wait()
        client = app.test_client()
        client.set_cookie("vid", f"visitor{i % 10:09d}")  # 10 distinct visitors
        return client.get("/")

    with ThreadPoolExecutor(20) as pool:
        list(pool.map(visit, range(requests)))
    last = app.test_client().get("/")
    assert counter(last, "visits-total") == requests + 1
    assert counter(last, "visits-today") == requests + 1
    assert counter(last, "visitors-today") == 11  # the 10, plus the new cookie of `last`


def test_visitor_cookie_makes_unique_visitors(client, banners):
    first = client.get("/")
    assert "vid=" in first.headers["Set-Cookie"]
    second = client.get("/")
    assert "Set-Cookie" not in second.headers  # the homepage touches no session either
    assert counter(second, "visitors-today") == 1
    assert counter(second, "visits-today") == 2


def test_day_keys_expire_after_some_weeks(app, client, banners, redis_client):
    client.get("/")
    with app.app_context():
        day = today()
        keys = (stats_keys.day_visits(day), stats_keys.day_visitors(day))
    for key in keys:
        assert 30 * 86400 < redis_client.ttl(key) <= app.config["VISIT_DAY_KEY_DAYS"] * 86400
    assert redis_client.ttl("visits:total") == -1


def test_warm_homepage_costs_one_redis_round_trip(client, banners, redis_server):
    client.get("/")  # warm the cache
    # The round trip carries the counters and the banner read.
    expected = {"incrby": 2, "pfadd": 1, "pfcount": 1, "get": 1}
    before = {name: command_calls(redis_server, name) for name in expected}
    with counting_round_trips() as sends:
        client.get("/")
    assert len(sends) == 1
    for name, count in expected.items():
        assert command_calls(redis_server, name) - before[name] >= count


def test_homepage_survives_redis_outage_and_recovers(client, banners, redis_server):
    client.get("/")
    with redis_server.down():
        started = time.monotonic()
        response = client.get("/")
        elapsed = time.monotonic() - started
        assert response.status_code == 200
        assert elapsed < 1.5
        assert banner_ids(response) == banners
        assert b"Visit counters are unavailable" in response.data
    recovered = client.get("/")
    assert recovered.status_code == 200
    assert counter(recovered, "visits-total") == 1  # the new (empty) Redis counts again


def test_homepage_answers_quickly_while_redis_is_stalled(client, banners, redis_server):
    client.get("/")
    with redis_server.stalled():
        started = time.monotonic()
        response = client.get("/")
        assert time.monotonic() - started < 1.5
    assert response.status_code == 200
    assert banner_ids(response) == banners
    assert client.get("/").status_code == 200


def test_editing_a_banner_shows_on_the_next_homepage(app, client, banners):
    client.get("/")
    with app.app_context():
        banner = db.session.get(Banner, banners[0])
        banner.title = "Edited title"
        save_banner(banner)
    assert b"Edited title" in client.get("/").data


def test_deactivating_a_banner_removes_it_at_once(app, client, banners):
    client.get("/")
    with app.app_context():
        banner = db.session.get(Banner, banners[1])
        banner.is_active = False
        save_banner(banner)
    assert banner_ids(client.get("/")) == [banners[0], *banners[2:]]


def test_error_pages_are_styled(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"We could not find that page" in response.data
    assert b"site.css" in response.data
    assert client.post("/").status_code == 405
    assert client.get("/%ff%fe").status_code == 404


def test_healthz_reports_each_service(client, celery_worker):
    wait_for(lambda: client.get("/healthz").status_code == 200, 10, "the worker's heartbeat")
    response = client.get("/healthz")
    assert {name: check["status"] for name, check in response.json["checks"].items()} == {
        "database": "ok",
        "redis": "ok",
        "broker": "ok",
        "workers": "ok",
    }
    assert response.json["workers"] >= 1


def test_healthz_answers_503_when_redis_is_down(client, redis_server):
    with redis_server.down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"]["status"] == "down"
    assert response.json["checks"]["broker"]["status"] == "down"
    assert response.json["checks"]["database"]["status"] == "ok"


def test_anonymous_homepage_sets_only_the_visitor_cookie(client, banners):
    first = client.get("/")
    assert [cookie.split("=")[0] for cookie in first.headers.getlist("Set-Cookie")] == ["vid"]
    assert "Log in" in first.get_data(as_text=True)
    assert first.headers["Vary"] == "Cookie"  # the nav depends on the session cookie: caches must know


def test_a_message_flashed_before_a_redirect_shows_on_the_homepage(client, banners, login):
    login("+8613800000031")
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    page = client.get("/").get_data(as_text=True)
    assert "You are logged out." in page and "Log in" in page
    assert "You are logged out." not in client.get("/").get_data(as_text=True)  # shown once

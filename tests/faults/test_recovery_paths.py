"""The recovery paths, each broken on purpose: delete any of them and a test here goes red."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from tests.faults.conftest import Site
from tests.flash_sale.helpers import buy, db_state, make_sale, orders_of
from tests.support import RedisServer, csrf_token, wait_for
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.flash_sale import cancellation, keys, stock
from webapp.flash_sale.models import Order
from webapp.home.carousel import banner_list
from webapp.home.models import Banner


def rename_first_banner(app, banners, title):
    with app.app_context():
        db.session.get(Banner, banners[0]).title = title
        db.session.commit()  # behind the cache's back: no invalidation


def visit_while_another_loads(app, visitors=8):
    """`visitors` requests for a missing banner list while another process holds the
    single-flight lock (its load slower than their wait). Returns (pages, seconds)."""
    with app.app_context():
        lock = app.extensions["redis"].lock(banner_list.lock_key, timeout=30)
        assert lock.acquire(blocking=False)
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(visitors) as pool:
            pages = list(
                pool.map(lambda _: app.test_client().get("/").get_data(as_text=True), range(visitors))
            )
    finally:
        lock.release()
    return pages, time.monotonic() - started


def test_waiters_serve_the_last_good_copy_when_the_load_is_slower_than_their_wait(
    app, client, banners, redis_client, banner_queries
):
    client.get("/")  # cached, with its last good copy
    rename_first_banner(app, banners, "Renamed in the database")
    redis_client.delete(banner_list.key)  # expired
    queries = banner_queries
    queries["n"] = 0  # from here on
    pages, seconds = visit_while_another_loads(app)
    assert all("Flash sale: noise-cancelling headphones" in page for page in pages)  # the old copy
    assert queries["n"] == 0  # nobody but the lock holder may load
    waited = app.config["CACHE_WAIT_SECONDS"]
    assert waited <= seconds < waited + 2


def test_without_a_last_good_copy_waiters_load_it_themselves(app, banners, redis_client, banner_queries):
    rename_first_banner(app, banners, "Renamed in the database")
    redis_client.delete(banner_list.key, banner_list.stale_key)
    queries = banner_queries
    queries["n"] = 0  # from here on
    pages, _ = visit_while_another_loads(app, visitors=4)
    assert all("Renamed in the database" in page for page in pages)
    assert queries["n"] == 4


def test_every_cache_ttl_has_its_jitter(app, redis_client):
    base = app.config["BANNER_CACHE_TTL"]
    ttls = set()
    with app.app_context():
        for _ in range(60):
            banner_list.store([])
            ttls.add(redis_client.ttl(banner_list.key))
    assert all(base <= ttl <= base * 1.1 for ttl in ttls), ttls
    assert len(ttls) > 1


def test_a_cancellation_asked_before_the_time_to_pay_changes_nothing(app, login, redis_client):
    sale_id = make_sale(app, stock=3)
    user_id = login()
    with app.app_context():
        stock.reserve(sale_id, user_id)
        db.session.add(Order(order_no="e" * 32, sale_id=sale_id, user_id=user_id, price_cents=1990))
        db.session.execute(db.update(db.metadata.tables["flash_sale"]).values(remaining_stock=2))
        db.session.commit()
        assert cancellation.cancel_unpaid_order("e" * 32) == "not due"
        assert cancellation.cancel_overdue_orders() == 0
    assert [o[3] for o in orders_of(app, sale_id)] == ["pending"]
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"2" and db_state(app, sale_id) == (2, 1)


def test_an_order_task_retries_through_a_blip_of_the_apps_redis(tmp_path, settings):
    broker = RedisServer(tmp_path / "broker")
    (tmp_path / "broker").mkdir()
    broker.start()
    site = Site(
        tmp_path,
        settings,
        persistent=True,
        CELERY_BROKER_URL=broker.url(1),
        CELERY_RESULT_BACKEND=broker.url(2),
    )
    try:
        worker = site.start_worker()
        app = site.app
        sale_id = make_sale(app, stock=2)
        client = app.test_client()
        with app.app_context():
            from webapp.auth.models import User

            user = User(phone="+8613700000001")
            db.session.add(user)
            db.session.commit()
            user_id = user.id
        with client.session_transaction() as session:
            session["_user_id"] = str(user_id)
        worker.process.send_signal(19)  # SIGSTOP: the task waits in the queue
        assert buy(client, sale_id).status_code == 202
        site.redis.stop()  # the app's Redis blips while the task runs
        worker.process.send_signal(18)  # SIGCONT
        wait_for(lambda: "Retry in" in worker.tail(300), 20, "the order task to retry")
        site.redis.start()
        wait_for(
            lambda: not site.redis.client().zcard(keys.pending_orders()), 60, "the retried task to finish"
        )
        assert [(o[2], o[3]) for o in orders_of(app, sale_id)] == [(user_id, "pending")]  # once
    finally:
        site.stop()
        broker.stop()


def edit_first_banner(client, banners, title):
    token = csrf_token(client, f"/admin/banners/{banners[0]}/edit")
    data = {"csrf_token": token, "title": title, "link_url": "/", "is_active": "y"}
    started = time.monotonic()
    saved = client.post(f"/admin/banners/{banners[0]}/edit", data=data)
    return saved.status_code, time.monotonic() - started


def test_an_admin_write_while_redis_is_frozen_is_saved_and_shows_once_it_thaws(
    app, client, admin, banners, redis_server
):
    """The write commits at once (the cache is given 0.5 s); the delete sent to the frozen
    Redis runs when it thaws, so the next page after that is fresh."""
    client.get("/")
    with redis_server.stalled():
        status, seconds = edit_first_banner(client, banners, "Edited while Redis froze")
    assert status == 302 and seconds < 3
    with app.app_context():
        assert db.session.get(Banner, banners[0]).title == "Edited while Redis froze"
    assert "Edited while Redis froze" in client.get("/").get_data(as_text=True)


def test_an_admin_write_while_redis_is_down_shows_once_beat_rebuilds(tmp_path, settings):
    """Redis down (it keeps its data on disk): the delete never arrives, so the homepage shows
    the old list until the next rebuild (beat's, every BANNER_REFRESH_SECONDS) or its TTL."""
    site = Site(tmp_path, settings, persistent=True)
    try:
        app, client = site.app, site.app.test_client()
        with app.app_context():
            from webapp.auth.models import User
            from webapp.home.carousel import seed_demo_banners

            seed_demo_banners()
            banners = [b.id for b in db.session.scalars(db.select(Banner).order_by(Banner.sort_order))]
            admin = User(phone="+8613700000003", is_admin=True)
            db.session.add(admin)
            db.session.commit()
            admin_id = admin.id
        with client.session_transaction() as session:
            session["_user_id"] = str(admin_id)
        client.get("/")
        token = csrf_token(client, f"/admin/banners/{banners[0]}/edit")
        site.redis.stop()
        data = {
            "csrf_token": token,
            "title": "Edited while Redis was down",
            "link_url": "/",
            "is_active": "y",
        }
        assert client.post(f"/admin/banners/{banners[0]}/edit", data=data).status_code == 302
        site.redis.start()
        assert "Edited while Redis was down" not in client.get("/").get_data(as_text=True)  # stale...
        with app.app_context():
            banner_list.rebuild()  # ... until beat's next rebuild
        assert "Edited while Redis was down" in client.get("/").get_data(as_text=True)
    finally:
        site.stop()


def test_overdue_orders_are_cancelled_by_a_real_beat(tmp_path, settings):
    """Beat's cancel-overdue-orders entry, against an order whose time to pay ran out."""
    from tests.support import start_beat

    site = Site(tmp_path, settings, persistent=False, ORDER_SWEEP_SECONDS=1)
    try:
        app = site.app
        site.start_worker()
        sale_id = make_sale(app, stock=2)
        with app.app_context():
            from webapp.auth.models import User

            user = User(phone="+8613700000002")
            db.session.add(user)
            db.session.flush()
            stock.reserve(sale_id, user.id)
            overdue = utcnow() - timedelta(seconds=app.config["ORDER_PAY_TIMEOUT"] + 5)
            db.session.add(
                Order(
                    order_no="f" * 32, sale_id=sale_id, user_id=user.id, price_cents=1990, created_at=overdue
                )
            )
            db.session.execute(db.update(db.metadata.tables["flash_sale"]).values(remaining_stock=1))
            db.session.commit()
        site.start(start_beat(site.settings, tmp_path))
        # The sweep commits the cancellation, then gives the unit back to Redis: wait for both.
        wait_for(
            lambda: (
                [o[3] for o in orders_of(app, sale_id)] == ["cancelled"]
                and site.redis.client().hget(keys.sale(sale_id), "stock") == b"2"
            ),
            20,
            "beat's sweep",
        )
        assert db_state(app, sale_id) == (2, 1)
        assert site.redis.client().hget(keys.sale(sale_id), "stock") == b"2"
    finally:
        site.stop()

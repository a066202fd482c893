"""Two web servers and two workers; a storm of buyers; one worker SIGKILLed while it holds
orders: every reservation gets its order within a minute (beat re-publishes the lost tasks),
none twice, and Redis and the database agree. On SQLite and on PostgreSQL."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import requests
from sqlalchemy import create_engine, insert, select, text

from tests.faults.conftest import Site
from tests.flash_sale.helpers import db_state, make_sale, orders_of
from tests.support import CSRF_TOKEN, start_beat, start_gunicorn, wait_for
from webapp.auth.models import User
from webapp.extensions import db
from webapp.flash_sale import keys, sales, stock

UNITS, USERS = 40, 80


def logged_in_users(app, count):
    """Session cookies for `count` new users, signed as the site signs them."""
    with app.app_context():
        db.session.execute(insert(User), [{"phone": f"+86137{n:08d}"} for n in range(count)])
        db.session.commit()
        user_ids = list(db.session.scalars(select(User.id)))
        serializer = app.session_interface.get_signing_serializer(app)
        return {uid: serializer.dumps({"_user_id": str(uid), "_fresh": True}) for uid in user_ids}


@contextmanager
def orders_held_back(app, sale_id):
    """Hold the sale's row locked, so the order tasks the workers take wait inside their
    transaction (holding their messages, unacknowledged) until the body ends."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the whole file's write lock
        else:
            conn.execute(text("BEGIN"))
            conn.execute(text("SELECT id FROM flash_sale WHERE id = :id FOR UPDATE"), {"id": sale_id})
        try:
            yield
        finally:
            conn.rollback()
    engine.dispose()


def test_a_worker_killed_holding_orders_loses_and_doubles_nothing(tmp_path, settings, each_database):
    site = Site(
        tmp_path, settings, persistent=True, database_url=each_database,
        ORDER_SWEEP_SECONDS=1, ORDER_REPUBLISH_SECONDS=3,
    )  # fmt: skip
    try:
        app = site.app
        web = [site.start(start_gunicorn(site.settings, tmp_path, name=f"web{n}")) for n in (1, 2)]
        doomed = site.start_worker("worker-a", concurrency=4)
        survivor = site.start_worker("worker-b", concurrency=4)
        site.start(start_beat(site.settings, tmp_path))
        sale_id = make_sale(app, stock=UNITS)
        cookies = logged_in_users(app, USERS)
        local = threading.local()

        def buy(user_id):
            session = getattr(local, "session", None) or requests.Session()
            local.session = session
            host = random.choice(web).url  # the load balancer
            session.cookies.clear()
            page = session.get(f"{host}/flash-sales/{sale_id}", cookies={"session": cookies[user_id]})
            token = next(g for g in CSRF_TOKEN.search(page.text).groups() if g)
            answer = session.post(
                f"{host}/flash-sales/{sale_id}/buy",
                cookies={"session": page.cookies.get("session", cookies[user_id])},
                headers={"Accept": "application/json", "X-CSRFToken": token},
            )
            return user_id, answer.status_code

        with orders_held_back(app, sale_id):
            with ThreadPoolExecutor(16) as pool:
                replies = list(pool.map(buy, list(cookies)))
            # Both workers now hold orders they cannot finish: kill one as a crash would.
            wait_for(lambda: doomed.tail(2000).count("received") >= 2, 15, "worker-a to take orders")
            doomed.kill()

        reserved = sorted(uid for uid, status in replies if status == 202)
        assert len(reserved) == UNITS and {status for _, status in replies} == {202, 409}
        wait_for(lambda: db_state(app, sale_id)[1] == UNITS, 60, "an order for every reservation")
        wait_for(lambda: not site.redis.client().zcard(keys.pending_orders()), 15, "the pending records")

        written = orders_of(app, sale_id)
        assert sorted(buyer for _, _, buyer, _ in written) == reserved  # each buyer once
        assert len({order_no for _, order_no, _, _ in written}) == UNITS
        assert db_state(app, sale_id) == (0, UNITS)
        with app.app_context():
            assert stock.repair_counts()["orders_republished"] >= 1  # the lost ones were sent again
            drift = sales.reconcile(sale_id)
        assert drift.clean, list(drift.lines())
        assert survivor.alive()
    finally:
        site.stop()

"""Under any concurrency the site sells exactly the stock, at most once per user, and Redis
and the database agree afterwards."""

import multiprocessing
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests
from sqlalchemy import insert, select

from tests.flash_sale.helpers import db_state, make_sale, orders_of
from tests.support import CSRF_TOKEN, wait_for
from webapp.auth.models import User
from webapp.extensions import db
from webapp.flash_sale import errors, keys, sales, scripts, stock


def test_reservation_script_alone_sells_exactly_the_stock_under_heavy_concurrency(app, redis_client):
    sale_id = make_sale(app, stock=50)
    attempts = [user for user in range(1, 501) for _ in range(10)]  # 500 users, 10 tries each
    random.shuffle(attempts)
    outcomes = Counter()
    reserved = []
    lock = threading.Lock()

    def attempt(user_id):
        with app.app_context():
            try:
                stock.reserve(sale_id, user_id)
                outcome = "reserved"
            except errors.FlashSaleError as error:
                outcome = type(error).__name__
        with lock:
            outcomes[outcome] += 1
            if outcome == "reserved":
                reserved.append(user_id)

    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(attempt, attempts))

    assert outcomes["reserved"] == 50
    assert len(set(reserved)) == 50
    assert outcomes["reserved"] + outcomes["SoldOut"] + outcomes["AlreadyBought"] == 5000
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"0"
    assert {int(b) for b in redis_client.smembers(keys.buyers(sale_id))} == set(reserved)


def _reserve_in_another_process(redis_url, sale_id, user_ids):
    """A separate process's attempts with the same script (run by a multiprocessing pool)."""
    client = redis.Redis.from_url(redis_url)
    now = time.time()
    return [
        user_id
        for user_id in user_ids
        if scripts.RESERVE(
            keys=[keys.sale(sale_id), keys.buyers(sale_id)], args=[user_id, now], client=client
        )
        >= 0
    ]


@pytest.mark.concurrency
def test_reservation_script_from_several_processes_sells_exactly_the_stock(app, settings, redis_client):
    sale_id = make_sale(app, stock=40)
    attempts = [user for user in range(1, 401) for _ in range(5)]  # 400 users, 5 tries each
    random.shuffle(attempts)
    batches = [attempts[i::4] for i in range(4)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        won = [
            user
            for batch in pool.starmap(
                _reserve_in_another_process, [(settings["REDIS_URL"], sale_id, batch) for batch in batches]
            )
            for user in batch
        ]
    assert len(won) == 40
    assert len(set(won)) == 40
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"0"
    assert {int(b) for b in redis_client.smembers(keys.buyers(sale_id))} == set(won)


@pytest.mark.concurrency
def test_thousands_of_buy_clicks_through_gunicorn_sell_exactly_the_stock(
    app, live_server, celery_worker, redis_client
):
    """2,000 clicks by 300 users (each clicking about 7 times, often at the same moment) from
    32 threads against 2 gunicorn processes and a real worker, for 25 units."""
    units, user_count, clicks = 25, 300, 2000
    sale_id = make_sale(app, stock=units)
    with app.app_context():
        db.session.execute(insert(User), [{"phone": f"+86139{n:08d}"} for n in range(user_count)])
        db.session.commit()
        user_ids = list(db.session.scalars(select(User.id)))
        serializer = app.session_interface.get_signing_serializer(app)
        cookies = {uid: serializer.dumps({"_user_id": str(uid), "_fresh": True}) for uid in user_ids}
    local = threading.local()

    def http():
        if not hasattr(local, "session"):
            local.session = requests.Session()
        local.session.cookies.clear()
        return local.session

    def open_page(user_id):
        page = http().get(f"{live_server.url}/flash-sales/{sale_id}", cookies={"session": cookies[user_id]})
        token = next(group for group in CSRF_TOKEN.search(page.text).groups() if group)
        return user_id, page.cookies["session"], token

    with ThreadPoolExecutor(max_workers=16) as pool:
        browsers = {uid: (cookie, token) for uid, cookie, token in pool.map(open_page, user_ids)}

    def click(user_id):
        cookie, token = browsers[user_id]
        response = http().post(
            f"{live_server.url}/flash-sales/{sale_id}/buy",
            cookies={"session": cookie},
            headers={"Accept": "application/json", "X-CSRFToken": token},
        )
        return user_id, response.status_code, response.json()

    attempts = [user_ids[i % user_count] for i in range(clicks)]
    random.shuffle(attempts)
    with ThreadPoolExecutor(max_workers=32) as pool:
        replies = list(pool.map(click, attempts))

    statuses = Counter(status for _, status, _ in replies)
    assert statuses == {202: units, 409: clicks - units}, statuses
    winners = [uid for uid, status, _ in replies if status == 202]
    assert len(set(winners)) == units

    wait_for(lambda: db_state(app, sale_id)[1] == units, 60, "the worker to write every order")
    task_ids = [body["task_id"] for _, status, body in replies if status == 202]
    celery_app = app.extensions["celery"]
    wait_for(lambda: all(celery_app.AsyncResult(t).state == "SUCCESS" for t in task_ids), 30, "every task")

    orders = orders_of(app, sale_id)
    assert len(orders) == units
    assert sorted(buyer for _, _, buyer, _ in orders) == sorted(winners)
    assert sorted(order_no for _, order_no, _, _ in orders) == sorted(task_ids)
    assert db_state(app, sale_id) == (0, units)
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"0"
    with app.app_context():
        drift = sales.reconcile(sale_id)
    assert drift.clean, list(drift.lines())
    assert (drift.redis_stock, drift.db_stock, drift.missing_buyers, drift.extra_buyers) == (
        0,
        0,
        set(),
        set(),
    )

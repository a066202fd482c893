"""Unpaid orders are cancelled by beat's sweep (a worker with an embedded beat, a 2 s
ORDER_PAY_TIMEOUT and a 1 s sweep): the unit goes back to Redis and the database exactly once,
and a paid order stays paid."""

import re
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.flash_sale.helpers import JSON, buy, buy_token, db_state, make_sale, orders_of
from tests.support import start_worker, wait_for, wait_for_worker
from webapp import create_app
from webapp.clock import utcnow
from webapp.extensions import celery, db
from webapp.flash_sale import cancellation, keys
from webapp.flash_sale.models import FlashSale, Order
from webapp.jobs import CANCEL_UNPAID_ORDER as CANCEL_ORDER_TASK

PAY_TIMEOUT = 2
BROKER_DB = 3  # this worker's own queue, so the session worker never takes its tasks


@pytest.fixture(scope="module")
def short_settings(settings, redis_server):
    return {
        **settings,
        "ORDER_PAY_TIMEOUT": PAY_TIMEOUT,
        "ORDER_SWEEP_SECONDS": 1,
        "CELERY_BROKER_URL": redis_server.url(BROKER_DB),
    }


@pytest.fixture(scope="module")
def short_worker(short_settings, redis_server, run_dir):
    redis_server.wipe(BROKER_DB)
    beat = ("--beat",)
    worker = start_worker(short_settings, run_dir, name="short-pay-worker", extra_args=beat)
    wait_for_worker(create_app("testing", short_settings).extensions["celery"], worker)
    yield worker
    worker.stop()


@pytest.fixture
def short_app(app, short_settings):
    """The web app sending to the short worker (after `app` emptied the tables and Redis)."""
    return create_app("testing", short_settings)


def cancels_since(worker, mark, outcome):
    """How many cancel_unpaid_order runs ended with `outcome` in the worker's log after `mark`."""
    log = worker.tail(100000)[mark:]
    return len(re.findall(rf"cancel_unpaid_order\[[^\]]+\] succeeded in [0-9.e-]+s: '{outcome}'", log))


def order_no_of(app, sale_id):
    [(_, order_no, _, _)] = orders_of(app, sale_id)
    return order_no


def log_mark(worker):
    return len(worker.tail(100000))


def order_state(app, sale_id):
    return [row[3] for row in orders_of(app, sale_id)]


def test_unpaid_order_is_cancelled_and_its_unit_is_bought_by_someone_else(
    short_app, login, short_worker, redis_client
):
    sale_id = make_sale(short_app, stock=1)
    first, second = short_app.test_client(), short_app.test_client()
    login("+8613800000001", test_client=first)
    login("+8613800000002", test_client=second)
    assert buy(first, sale_id).status_code == 202
    assert buy(second, sale_id).status_code == 409  # sold out while the first order is unpaid
    wait_for(lambda: order_state(short_app, sale_id) == ["pending"], 10, "the order")
    wait_for(lambda: order_state(short_app, sale_id) == ["cancelled"], 15, "the cancellation")
    # The unit goes back to Redis just after the database commit: give it that moment.
    wait_for(lambda: redis_client.hget(keys.sale(sale_id), "stock") == b"1", 5, "the unit back in Redis")
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"1"
    assert db_state(short_app, sale_id) == (1, 1)
    # The unit is back on sale; the first buyer had their one chance.
    assert buy(first, sale_id).status_code == 409
    assert buy(second, sale_id).status_code == 202
    wait_for(lambda: order_state(short_app, sale_id) == ["cancelled", "pending"], 10, "the second order")
    assert db_state(short_app, sale_id) == (0, 2)


def test_a_paid_order_is_never_cancelled(short_app, login, short_worker, redis_client):
    sale_id = make_sale(short_app, stock=1)
    client = short_app.test_client()
    login(test_client=client)
    token = buy_token(client, sale_id)
    buy(client, sale_id, token)
    wait_for(lambda: order_state(short_app, sale_id) == ["pending"], 10, "the order")
    [(order_id, *_)] = orders_of(short_app, sale_id)
    mark = log_mark(short_worker)
    assert client.post(f"/orders/{order_id}/pay", headers={**JSON, "X-CSRFToken": token}).status_code == 200
    with short_app.app_context():  # a cancellation arriving late, as an old delayed message would
        celery.send_task(CANCEL_ORDER_TASK, args=[order_no_of(short_app, sale_id)], countdown=PAY_TIMEOUT)
    wait_for(lambda: cancels_since(short_worker, mark, "paid") == 1, 15, "the cancel task to find it paid")
    time.sleep(PAY_TIMEOUT + 1)  # and beat's sweeps ran past the time to pay
    assert order_state(short_app, sale_id) == ["paid"]
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"0"
    assert db_state(short_app, sale_id) == (0, 1)


def test_paying_after_cancellation_is_409(short_app, login, short_worker):
    sale_id = make_sale(short_app, stock=1)
    client = short_app.test_client()
    login(test_client=client)
    token = buy_token(client, sale_id)
    buy(client, sale_id, token)
    wait_for(lambda: order_state(short_app, sale_id) == ["cancelled"], 15, "the cancellation")
    [(order_id, *_)] = orders_of(short_app, sale_id)
    late = client.post(f"/orders/{order_id}/pay", headers={**JSON, "X-CSRFToken": token})
    assert late.status_code == 409
    assert "cancelled" in late.json["message"]


@pytest.mark.concurrency
def test_many_cancellations_of_one_order_return_its_unit_once(short_app, login, short_worker, redis_client):
    sale_id = make_sale(short_app, stock=2)
    client = short_app.test_client()
    login(test_client=client)
    buy(client, sale_id)
    wait_for(lambda: order_state(short_app, sale_id) == ["pending"], 10, "the order")
    [(_, order_no, _, _)] = orders_of(short_app, sale_id)
    mark = log_mark(short_worker)
    with short_app.app_context():
        for _ in range(7):  # besides beat's sweep; the worker runs 4 at once
            celery.send_task(CANCEL_ORDER_TASK, args=[order_no], countdown=PAY_TIMEOUT)
    wait_for(lambda: cancels_since(short_worker, mark, "cancelled") == 7, 20, "all seven cancellations")
    assert order_state(short_app, sale_id) == ["cancelled"]
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"2"
    assert db_state(short_app, sale_id) == (2, 1)


@pytest.mark.concurrency
def test_concurrent_cancels_in_threads_return_the_unit_once(app, login, redis_client):
    """The same function the task runs, from 8 threads at once on an overdue order."""
    sale_id = make_sale(app, stock=5)
    user_id = login()
    with app.app_context():
        from webapp.flash_sale import stock

        stock.reserve(sale_id, user_id)
        db.session.execute(update(FlashSale).where(FlashSale.id == sale_id).values(remaining_stock=4))
        overdue = utcnow() - timedelta(hours=1)
        db.session.add(
            Order(order_no="c" * 32, sale_id=sale_id, user_id=user_id, price_cents=1990, created_at=overdue)
        )
        db.session.commit()
    outcomes, start = [], threading.Barrier(8)

    def cancel():
        with app.app_context():
            start.wait()
            outcomes.append(cancellation.cancel_unpaid_order("c" * 32))

    threads = [threading.Thread(target=cancel) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["cancelled"] * 8
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"5"
    assert db_state(app, sale_id) == (5, 1)


def test_beat_sweep_cancels_overdue_orders_whose_delayed_task_was_lost(app, login, redis_client):
    sale_id = make_sale(app, stock=3)
    late_user, fresh_user = login("+8613800000001"), login("+8613800000002")
    with app.app_context():
        from webapp.flash_sale import stock

        for user_id, age in ((late_user, timedelta(hours=1)), (fresh_user, timedelta(seconds=5))):
            stock.reserve(sale_id, user_id)
            db.session.add(
                Order(
                    order_no=f"{user_id:032d}",
                    sale_id=sale_id,
                    user_id=user_id,
                    price_cents=1990,
                    created_at=utcnow() - age,
                )
            )
        db.session.execute(update(FlashSale).where(FlashSale.id == sale_id).values(remaining_stock=1))
        db.session.commit()
        assert cancellation.cancel_overdue_orders() == 1
        assert cancellation.cancel_overdue_orders() == 0
    assert order_state(app, sale_id) == ["cancelled", "pending"]
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"2"
    assert db_state(app, sale_id) == (2, 2)

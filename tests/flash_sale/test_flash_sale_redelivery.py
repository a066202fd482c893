"""Late acknowledgement: a worker killed in the middle of `create_order` loses nothing. The
broker hands the unacknowledged message to the next worker, which writes the order once."""

import sqlite3

import pytest

from tests.flash_sale.helpers import db_state, make_sale, orders_of
from tests.support import start_worker, wait_for, wait_for_worker
from webapp import create_app
from webapp.flash_sale.orders import place_order

BROKER_DB = 4


@pytest.fixture
def quick_settings(settings, redis_server):
    """Its own queue, and a broker that redelivers unacknowledged messages after 4 s."""
    redis_server.wipe(BROKER_DB)
    return {
        **settings,
        "CELERY_BROKER_URL": redis_server.url(BROKER_DB),
        "BROKER_VISIBILITY_TIMEOUT": 4,
        "BROKER_RESTORE_SECONDS": 1,
        "ORDER_PAY_TIMEOUT": 2,
    }


def test_worker_killed_mid_task_the_order_is_still_written_exactly_once(
    app, quick_settings, redis_server, run_dir, login
):
    web = create_app("testing", quick_settings)
    celery_app = web.extensions["celery"]
    sale_id = make_sale(web, stock=3)
    user_id = login()
    first = start_worker(quick_settings, run_dir, name="doomed-worker")
    second = None
    try:
        wait_for_worker(celery_app, first)
        # Hold the database so the task is caught mid-way, inside its first query.
        database = sqlite3.connect(
            quick_settings["DATABASE_URL"].removeprefix("sqlite:///"), isolation_level=None
        )
        database.execute("BEGIN EXCLUSIVE")
        try:
            with web.app_context():
                order_no = place_order(sale_id, user_id)
            wait_for(lambda: celery_app.AsyncResult(order_no).state == "STARTED", 4, "the task to start")
            first.kill()  # SIGKILL: no chance to acknowledge or to requeue politely
        finally:
            # Released whatever happens: a lock left behind would fail every later test.
            database.rollback()
            database.close()

        assert orders_of(web, sale_id) == []
        assert redis_server.client(BROKER_DB).hlen("unacked") == 1  # the broker still holds it

        second = start_worker(quick_settings, run_dir, name="second-worker")
        wait_for(lambda: len(orders_of(web, sale_id)) == 1, 40, "the redelivered order")
        wait_for(lambda: redis_server.client(BROKER_DB).hlen("unacked") == 0, 20, "the ack")
    finally:
        first.stop()
        if second:
            second.stop()
    [(_, written_no, buyer, _)] = orders_of(web, sale_id)
    assert (written_no, buyer) == (order_no, user_id)
    assert db_state(web, sale_id)[1] == 1
    assert f"create_order[{order_no}] succeeded" in second.tail(100000)

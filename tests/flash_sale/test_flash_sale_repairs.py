"""Beat's repairs: a reservation whose order task was lost gets it sent again (once written, its
record is cleared), unpaid orders are swept; both are counted on the dashboard."""

import time

from tests.flash_sale.helpers import db_state, make_sale, orders_of
from tests.support import wait_for
from webapp.extensions import db
from webapp.flash_sale import keys, orders, stock


def test_a_reservation_whose_task_was_lost_gets_its_order_once(app, login, celery_worker, redis_client):
    sale_id = make_sale(app, stock=3)
    user_id = login()
    with app.app_context():
        # The reservation is made and recorded as pending, but its task never reaches a worker.
        stock.reserve(sale_id, user_id, order_no="a" * 32)
        app.config["ORDER_REPUBLISH_SECONDS"] = 0
        assert redis_client.zcard(keys.pending_orders()) == 1
        time.sleep(0.01)
        assert orders.republish_stuck_orders() == 1
    wait_for(lambda: orders_of(app, sale_id), 15, "the re-published order")
    wait_for(lambda: redis_client.zcard(keys.pending_orders()) == 0, 5, "the pending record to clear")
    with app.app_context():
        assert orders.republish_stuck_orders() == 0  # written: nothing more is sent
        assert stock.repair_counts()["orders_republished"] == 1
    assert [(o[1], o[2]) for o in orders_of(app, sale_id)] == [("a" * 32, user_id)]
    assert db_state(app, sale_id) == (2, 1)


def test_a_written_order_whose_record_was_left_is_cleared_not_sent_again(app, login, redis_client):
    sale_id = make_sale(app, stock=3)
    user_id = login()
    with app.app_context():
        stock.reserve(sale_id, user_id, order_no="b" * 32)
        orders._insert_order("b" * 32, sale_id, user_id)  # the task wrote it, then died
        db.session.remove()
        app.config["ORDER_REPUBLISH_SECONDS"] = 0
        time.sleep(0.01)
        assert orders.republish_stuck_orders() == 0
        assert stock.repair_counts()["orders_republished"] == 0
    assert redis_client.zcard(keys.pending_orders()) == 0


def test_the_dashboard_shows_the_repairs(app, client, admin, redis_client):
    redis_client.hset(keys.repairs(), mapping={"orders_republished": 2, "orders_cancelled": 5})
    data = client.get("/admin/dashboard.json").json
    assert data["repairs"] == {"orders_republished": 2, "orders_cancelled": 5, "sales_reloaded": 0}
    page = client.get("/admin/").get_data(as_text=True)
    assert 'data-live="repairs.orders_republished">2<' in page

"""Two web servers and two workers; a storm of buyers; one worker SIGKILLed while it holds
orders: every reservation gets its order within a minute (beat re-publishes the lost tasks),
none twice, and Redis and the database agree. On SQLite and on PostgreSQL."""

from tests.faults.conftest import Site
from tests.faults.helpers import logged_in_users, orders_held_back, storm
from tests.flash_sale.helpers import db_state, make_sale, orders_of
from tests.support import start_beat, start_gunicorn, wait_for
from webapp.flash_sale import keys, sales, stock

UNITS, USERS = 40, 80


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
        with orders_held_back(app, sale_id):
            replies = storm([server.url for server in web], sale_id, cookies)
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

"""Redis loses its data during a sale (a restart without persistence): the sale answers
"paused" rather than selling stock nobody counted, resumes by itself once beat has reloaded it
from the database, and never sells more than its stock."""

from concurrent.futures import ThreadPoolExecutor

from tests.faults.conftest import Site
from tests.faults.helpers import logged_in_clients
from tests.flash_sale.helpers import buy, buy_token, db_state, make_sale, orders_of
from tests.support import start_beat, wait_for
from webapp.flash_sale import sales, stock

UNITS = 6


def test_a_sale_pauses_when_redis_loses_its_stock_and_never_oversells(tmp_path, settings):
    site = Site(tmp_path, settings, persistent=False, ORDER_SWEEP_SECONDS=1, SALE_RELOAD_GRACE_SECONDS=2)
    try:
        app = site.app
        site.start_worker()
        site.start(start_beat(site.settings, tmp_path))
        sale_id = make_sale(app, stock=UNITS)
        clients = logged_in_clients(app, 30)
        tokens = [buy_token(client, sale_id) for client in clients]
        for client, token in zip(clients[:2], tokens[:2], strict=True):
            assert buy(client, sale_id, token).status_code == 202
        wait_for(lambda: db_state(app, sale_id)[1] == 2, 20, "the first two orders")

        site.redis.restart()  # everything in Redis is gone: stock, buyers, the queue
        paused = buy(clients[2], sale_id, tokens[2])
        assert paused.status_code == 503 and "paused" in paused.json["message"]
        assert paused.headers["Retry-After"]

        def resumed():
            with app.app_context():
                return stock.stock_left([sale_id])[sale_id] is not None

        wait_for(resumed, 20, "beat to reload the sale")
        with app.app_context():
            assert stock.stock_left([sale_id]) == {sale_id: UNITS - 2}
        assert buy(clients[0], sale_id, tokens[0]).status_code == 409  # its buyers are known again

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda i: buy(clients[i], sale_id, tokens[i]).status_code, range(2, 30)))
        assert answers.count(202) == UNITS - 2
        wait_for(lambda: db_state(app, sale_id)[1] == UNITS, 30, "every order")
        assert db_state(app, sale_id) == (0, UNITS)  # exactly the stock, never more
        assert len({buyer for _, _, buyer, _ in orders_of(app, sale_id)}) == UNITS
        with app.app_context():
            assert stock.repair_counts()["sales_reloaded"] >= 1
            drift = sales.reconcile(sale_id)
        assert drift.clean, list(drift.lines())
    finally:
        site.stop()

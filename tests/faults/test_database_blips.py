"""PostgreSQL restarted under traffic: pages answer 503 with a sentence while it is down and
200 once it is back, by themselves; an order whose task hit the outage is retried and written
once it is back. Nothing lost, nothing doubled."""

import pytest
from sqlalchemy import select

from tests.faults.conftest import Site
from tests.faults.helpers import logged_in_clients
from tests.flash_sale.helpers import buy, buy_token, make_sale, orders_of
from tests.support import PostgresServer, wait_for
from webapp.auth.models import User
from webapp.extensions import db
from webapp.flash_sale import sales


@pytest.fixture
def postgres():
    server = PostgresServer()
    if reason := server.unavailable():
        pytest.skip(reason)
    server.start()
    yield server
    server.remove()


def test_pages_and_orders_ride_out_a_postgresql_restart(tmp_path, settings, postgres):
    site = Site(tmp_path, settings, persistent=True, database_url=postgres.url())
    try:
        app = site.app
        site.start_worker()
        sale_id = make_sale(app, stock=5)
        buyers = logged_in_clients(app, 2)
        with app.app_context():
            user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
        pages = app.test_client()
        assert pages.get("/flash-sales/").status_code == 200
        assert pages.get("/").status_code == 200  # the banner list is now cached
        tokens = [buy_token(client, sale_id) for client in buyers]  # pages opened before the outage

        postgres.stop()
        down = pages.get("/flash-sales/")
        assert down.status_code == 503
        assert "database is unavailable for a moment" in down.get_data(as_text=True)
        assert "Traceback" not in down.get_data(as_text=True)
        assert pages.get("/").status_code == 200  # the homepage lives on its cache
        assert buy(buyers[0], sale_id, tokens[0]).status_code == 202  # the Buy click needs no database
        wait_for(lambda: "Retry in" in site.workers[0].tail(200), 15, "the order task to retry")
        postgres.start()

        wait_for(lambda: pages.get("/flash-sales/").status_code == 200, 10, "pages to recover")
        assert buy(buyers[1], sale_id, tokens[1]).status_code == 202
        wait_for(lambda: len(orders_of(app, sale_id)) == 2, 60, "both orders")
        assert sorted(buyer for _, _, buyer, _ in orders_of(app, sale_id)) == sorted(user_ids)
        with app.app_context():
            assert db.session.scalar(select(db.func.count()).select_from(User)) == 2
            drift = sales.reconcile(sale_id)
            db.session.remove()
        assert drift.clean, list(drift.lines())
    finally:
        site.stop()

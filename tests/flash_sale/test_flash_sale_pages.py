"""The sale list, the sale page, the live figures and My orders."""

from datetime import timedelta

from tests.flash_sale.helpers import JSON, buy, make_sale


def test_sale_list_shows_running_and_upcoming_sales_with_stock_left(app, client):
    running = make_sale(app, stock=9, name="Running gadget")
    upcoming = make_sale(app, stock=4, starts_in=timedelta(hours=3), name="Upcoming gadget")
    make_sale(app, starts_in=timedelta(hours=-3), lasts=timedelta(hours=1), name="Ended gadget")
    page = client.get("/flash-sales/")
    assert page.status_code == 200
    html = page.data.decode()
    assert "Running gadget" in html and "Upcoming gadget" in html and "Ended gadget" not in html
    assert f'data-sale-id="{running}"' in html and f'data-sale-id="{upcoming}"' in html
    assert "Running now" in html and "Upcoming" in html
    assert "¥19.90" in html


def test_sale_page_has_countdown_stock_buy_button_and_csrf_token(app, client):
    sale_id = make_sale(app, stock=6, starts_in=timedelta(minutes=10))
    html = client.get(f"/flash-sales/{sale_id}").data.decode()
    assert "data-starts-at=" in html and "data-countdown" in html
    assert "<strong data-stock-left>6</strong>" in html
    assert 'name="csrf-token"' in html
    assert "data-buy-button disabled" in html  # not started yet
    assert "js/flash-sale.js" in html


def test_live_figures_follow_the_redis_stock(app, client, login):
    sale_id = make_sale(app, stock=6)
    assert client.get(f"/flash-sales/{sale_id}/live").json["stock"] == 6
    login()
    buy(client, sale_id)
    live = client.get(f"/flash-sales/{sale_id}/live").json
    assert (live["stock"], live["total"], live["status"]) == (5, 6, "running")


def test_pages_still_render_when_redis_is_down(app, client, redis_server):
    sale_id = make_sale(app, stock=6)
    with redis_server.down():
        assert client.get("/flash-sales/").status_code == 200
        page = client.get(f"/flash-sales/{sale_id}")
        assert page.status_code == 200
        assert b"<strong data-stock-left>6</strong>" in page.data  # the database's figure
        assert client.get(f"/flash-sales/{sale_id}/live").json["stock"] is None


def test_my_orders_needs_a_login(app, client, login):
    assert client.get("/orders", headers=JSON).status_code == 401
    login()
    page = client.get("/orders")
    assert page.status_code == 200
    assert b"No orders yet" in page.data

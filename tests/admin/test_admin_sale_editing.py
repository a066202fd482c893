"""Editing a flash sale: every field, the image, units added before the start, and Redis and
the API's cache kept true on every write."""

from datetime import timedelta

import pytest

from tests.admin.helpers import png_bytes, upload
from tests.flash_sale.helpers import make_sale
from tests.support import csrf_token
from webapp.clock import as_utc, local, utcnow
from webapp.extensions import db
from webapp.flash_sale import keys, stock
from webapp.flash_sale.models import FlashSale


def edit_url(sale_id):
    return f"/admin/flash-sales/{sale_id}/edit"


def typed(moment, app):
    """A UTC time as the admin types it in the form (site TIMEZONE, minutes)."""
    with app.app_context():
        return local(moment).strftime("%Y-%m-%dT%H:%M")


def edit(client, app, sale_id, **changes):
    with app.app_context():
        sale = db.session.get(FlashSale, sale_id)
        data = {
            "product_name": sale.product_name,
            "price": sale.price,
            "stock": str(sale.total_stock),
            "starts_at": typed(sale.starts_at, app),
            "ends_at": typed(sale.ends_at, app),
        }
        db.session.remove()
    data.update(csrf_token=csrf_token(client, edit_url(sale_id)), **changes)
    return client.post(edit_url(sale_id), data=data, content_type="multipart/form-data")


def saved(app, sale_id):
    with app.app_context():
        sale = db.session.get(FlashSale, sale_id)
        db.session.expunge(sale)
        return sale


def test_the_edit_form_shows_the_sale_as_saved(app, client, admin):
    sale_id = make_sale(app, starts_in=timedelta(hours=2))
    page = client.get(edit_url(sale_id)).get_data(as_text=True)
    sale = saved(app, sale_id)
    assert 'value="Test gadget"' in page and 'value="19.90"' in page and 'value="3"' in page
    assert f'value="{typed(sale.starts_at, app)}"' in page
    assert client.get(f"/admin/flash-sales/{sale_id}").get_data(as_text=True).count(edit_url(sale_id)) == 1


def test_editing_name_price_and_window_shows_everywhere_at_once(app, client, admin, redis_client):
    sale_id = make_sale(app, starts_in=timedelta(hours=2))
    assert client.get(f"/api/flash-sales/{sale_id}").json["product_name"] == "Test gadget"  # cached
    start = (utcnow() + timedelta(hours=5)).replace(second=0, microsecond=0)
    response = edit(
        client,
        app,
        sale_id,
        product_name="Better gadget",
        price="25.50",
        starts_at=typed(start, app),
        ends_at=typed(start + timedelta(hours=1), app),
    )
    assert response.status_code == 302
    sale = saved(app, sale_id)
    assert (sale.product_name, sale.price_cents) == ("Better gadget", 2550)
    assert as_utc(sale.starts_at) == start
    assert client.get(f"/api/flash-sales/{sale_id}").json["product_name"] == "Better gadget"
    assert float(redis_client.hget(keys.sale(sale_id), "starts_at")) == start.timestamp()
    assert redis_client.ttl(keys.sale(sale_id)) > 7 * 86400  # expires with the new end + a week
    assert "Better gadget" in client.get(f"/flash-sales/{sale_id}").get_data(as_text=True)


def test_units_added_before_the_start_reach_the_database_and_redis(app, client, admin, redis_client):
    sale_id = make_sale(app, stock=3, starts_in=timedelta(hours=2))
    assert edit(client, app, sale_id, stock="10").status_code == 302
    sale = saved(app, sale_id)
    assert (sale.total_stock, sale.remaining_stock) == (10, 10)
    with app.app_context():
        assert stock.stock_left([sale_id]) == {sale_id: 10}


@pytest.mark.parametrize(
    ("starts_in", "units", "message"),
    [
        (timedelta(hours=2), "2", "Stock can only go up"),
        (timedelta(minutes=-1), "10", "only be added before the sale starts"),
    ],
)
def test_stock_never_goes_down_and_never_changes_once_started(app, client, admin, starts_in, units, message):
    sale_id = make_sale(app, stock=3, starts_in=starts_in)
    response = edit(client, app, sale_id, stock=units)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    sale = saved(app, sale_id)
    assert (sale.total_stock, sale.remaining_stock) == (3, 3)


def test_a_new_image_replaces_the_old_upload(app, client, admin):
    sale_id = make_sale(app, starts_in=timedelta(hours=2))
    assert edit(client, app, sale_id, image_file=upload(png_bytes())).status_code == 302
    first = saved(app, sale_id).image
    assert client.get(first).status_code == 200
    assert edit(client, app, sale_id, image_file=upload(png_bytes(width=5))).status_code == 302
    second = saved(app, sale_id).image
    assert second != first and client.get(second).status_code == 200
    assert client.get(first).status_code == 404  # the old file went with the change
    assert edit(client, app, sale_id).status_code == 302  # no image given: the current one stays
    assert saved(app, sale_id).image == second


def test_an_edit_while_redis_is_down_is_saved_and_says_how_to_repair(app, client, admin, redis_server):
    sale_id = make_sale(app, stock=3, starts_in=timedelta(hours=2))
    token = csrf_token(client, edit_url(sale_id))
    with redis_server.down():
        sale = saved(app, sale_id)
        data = {
            "csrf_token": token,
            "product_name": "Renamed while down",
            "price": sale.price,
            "stock": "5",
            "starts_at": typed(sale.starts_at, app),
            "ends_at": typed(sale.ends_at, app),
        }
        response = client.post(edit_url(sale_id), data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "Redis was not updated" in response.get_data(as_text=True)
    assert saved(app, sale_id).total_stock == 5
    with app.app_context():
        assert stock.stock_left([sale_id]) == {sale_id: None}  # the test's Redis kept nothing...
    client.post(  # ... until the admin presses "Reconcile and repair", as the message says
        f"/admin/flash-sales/{sale_id}/reconcile",
        data={"csrf_token": csrf_token(client, f"/admin/flash-sales/{sale_id}"), "fix": "1"},
    )
    with app.app_context():
        assert stock.stock_left([sale_id]) == {sale_id: 5}


def test_a_sale_without_an_image_shows_a_placeholder_not_an_error(app, client, runner):
    result = runner.invoke(
        args=["flash-sale", "create", "--name", "Plain", "--price", "9.90", "--stock", "2"]
    )
    assert result.exit_code == 0, result.output
    listing = client.get("/flash-sales/")
    assert listing.status_code == 200
    assert "img/flash_sales/placeholder.svg" in listing.get_data(as_text=True)
    with app.app_context():
        sale_id = db.session.scalar(db.select(FlashSale.id))
    assert client.get(f"/flash-sales/{sale_id}").status_code == 200

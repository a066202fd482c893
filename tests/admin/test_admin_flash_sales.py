"""Flash-sale admin: create with full validation, live stock, buyers and orders, reconcile."""

import re
from datetime import timedelta

from tests.admin.helpers import png_bytes, upload
from tests.flash_sale.helpers import make_sale
from tests.support import csrf_token
from webapp.auth.models import User
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.flash_sale import keys, stock
from webapp.flash_sale.models import FlashSale, Order

FORM = "/admin/flash-sales/new"


def sale_form(**changes):
    start = (utcnow() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = (utcnow() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    return {
        "product_name": "Espresso machine",
        "price": "199.00",
        "stock": "25",
        "starts_at": start,
        "ends_at": end,
        **changes,
    }


def post_form(client, data, **kwargs):
    return client.post(FORM, data={"csrf_token": csrf_token(client, FORM), **data}, **kwargs)


def sales_in_db(app):
    with app.app_context():
        return list(db.session.scalars(db.select(FlashSale)))


def test_creating_a_sale_loads_its_stock_and_shows_it_everywhere_at_once(app, client, admin, redis_client):
    assert client.get("/api/flash-sales").json == {"flash_sales": []}  # warm the API cache
    response = post_form(client, sale_form())
    assert response.status_code == 302
    [sale] = sales_in_db(app)
    assert (sale.product_name, sale.price_cents, sale.total_stock) == ("Espresso machine", 19900, 25)
    with app.app_context():
        assert stock.stock_left([sale.id]) == {sale.id: 25}
    assert [s["id"] for s in client.get("/api/flash-sales").json["flash_sales"]] == [sale.id]
    listing = client.get("/admin/flash-sales/").data.decode()
    assert "Espresso machine" in listing and "25 / 25" in listing


def test_a_sale_with_an_uploaded_image(app, client, admin):
    response = post_form(
        client, sale_form(image_file=upload(png_bytes())), content_type="multipart/form-data"
    )
    assert response.status_code == 302
    [sale] = sales_in_db(app)
    assert re.fullmatch(r"/uploads/[0-9a-f]{32}\.png", sale.image)
    assert client.get(sale.image).data == png_bytes()


def test_bad_sale_forms_show_each_error_beside_its_field_and_save_nothing(app, client, admin):
    cases = [
        ({"price": "0"}, "price", "more than 0"),
        ({"price": "-5"}, "price", "more than 0"),
        ({"price": "abc"}, "price", "as a number"),
        ({"price": "1.234"}, "price", "two decimals"),
        ({"price": "NaN"}, "price", "more than 0"),
        ({"stock": "0"}, "stock", "from 1 to"),
        ({"stock": "2.5"}, "stock", ""),
        ({"stock": ""}, "stock", "number of units"),
        ({"product_name": ""}, "product_name", ""),
        ({"ends_at": sale_form()["starts_at"]}, "ends_at", "end after it starts"),
        ({"starts_at": "tomorrow"}, "starts_at", ""),
        ({"image_file": upload(b"GIF8 not really")}, "image_file", "Only PNG"),
    ]
    for change, field, message in cases:
        response = post_form(client, sale_form(**change), content_type="multipart/form-data")
        assert response.status_code == 400, change
        page = response.data.decode()
        assert f'data-error-for="{field}"' in page, change
        assert message in page, change
    assert sales_in_db(app) == []


def test_sale_page_shows_live_stock_buyers_and_order_states(app, client, admin):
    sale_id = make_sale(app, stock=5, name="Desk lamp")
    with app.app_context():
        for n, state in enumerate(["pending", "paid", "cancelled"]):
            user = User(phone=f"+861380000010{n}")
            db.session.add(user)
            db.session.flush()
            db.session.add(
                Order(order_no=f"order{n}", sale_id=sale_id, user_id=user.id, price_cents=1990, state=state)
            )
        db.session.commit()
        stock.reserve(sale_id, 9999)  # a unit reserved in Redis, its order not written yet
    page = client.get(f"/admin/flash-sales/{sale_id}").data.decode()
    assert re.search(r"data-stock-left>4 of 5<", page)
    assert re.search(r"data-buyers>3<", page)
    for state in ("pending", "paid", "cancelled"):
        assert f"<td>{state}</td>" in page
    assert "138****0100" in page and "+8613800000100" not in page


def test_reconcile_reports_drift_and_repairs_redis_like_the_cli(app, client, admin, redis_client, runner):
    sale_id = make_sale(app, stock=5)
    redis_client.hset(keys.sale(sale_id), "stock", 99)
    url = f"/admin/flash-sales/{sale_id}/reconcile"
    token = csrf_token(client, f"/admin/flash-sales/{sale_id}")
    page = client.post(url, data={"csrf_token": token}, follow_redirects=True).data.decode()
    assert f"Sale {sale_id}: Redis stock 99, database stock 5" in page
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"99"  # reported, not changed
    assert runner.invoke(args=["flash-sale", "reconcile", str(sale_id)]).exit_code == 1  # the CLI agrees
    page = client.post(url, data={"csrf_token": token, "fix": "1"}, follow_redirects=True).data.decode()
    assert "repaired Redis from the database" in page
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"5"
    assert runner.invoke(args=["flash-sale", "reconcile", str(sale_id)]).exit_code == 0


def test_sale_admin_pages_say_so_while_redis_is_down(app, client, admin, redis_server):
    sale_id = make_sale(app)
    token = csrf_token(client, f"/admin/flash-sales/{sale_id}")
    with redis_server.down():
        listing = client.get("/admin/flash-sales/")
        detail = client.get(f"/admin/flash-sales/{sale_id}")
        reconciled = client.post(
            f"/admin/flash-sales/{sale_id}/reconcile", data={"csrf_token": token}, follow_redirects=True
        )
    assert listing.status_code == detail.status_code == reconciled.status_code == 200
    assert b"live stock is unknown" in listing.data and b"live stock is unknown" in detail.data
    assert b"Redis is not reachable" in reconciled.data


def test_unknown_sales_answer_404(client, admin):
    assert client.get("/admin/flash-sales/999").status_code == 404
    assert client.get("/admin/flash-sales/99999999999").status_code == 404

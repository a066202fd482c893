"""The flash-sale API: answers match the OpenAPI document, cached, invalidated by sale writes."""

from datetime import timedelta

from tests.api.helpers import validate
from tests.flash_sale.helpers import make_sale
from webapp.flash_sale import catalog, stock


def test_sale_list_and_sale_answers_match_the_openapi_document(app, client):
    running = make_sale(app, stock=4, name="Headphones")
    upcoming = make_sale(app, stock=2, starts_in=timedelta(hours=2), name="Keyboard")
    listed = client.get("/api/flash-sales")
    assert listed.status_code == 200
    validate(client, listed.json, "FlashSaleList")
    assert [(s["id"], s["status"], s["stock_left"]) for s in listed.json["flash_sales"]] == [
        (running, "running", 4),
        (upcoming, "upcoming", 2),
    ]
    one = client.get(f"/api/flash-sales/{running}")
    validate(client, one.json, "FlashSale")
    assert one.json["price"] == "19.90" and one.json["page_url"] == f"/flash-sales/{running}"


def test_an_unknown_sale_is_a_documented_json_404(client):
    for sale_id in (999, 2147483647):
        response = client.get(f"/api/flash-sales/{sale_id}")
        assert response.status_code == 404
        validate(client, response.json, "Error")
    assert client.get("/api/flash-sales/99999999999").status_code == 404


def test_creating_a_sale_invalidates_the_cached_list_at_once(app, client, runner):
    client.get("/api/flash-sales")  # cached, empty
    result = runner.invoke(
        args=["flash-sale", "create", "--name", "Blender", "--price", "49.90", "--stock", "3"]
    )
    assert result.exit_code == 0, result.output
    assert [s["product_name"] for s in client.get("/api/flash-sales").json["flash_sales"]] == ["Blender"]


def test_sale_answers_come_from_the_cache_with_live_stock(app, client):
    sale_id = make_sale(app, stock=3)
    client.get(f"/api/flash-sales/{sale_id}")
    with app.app_context():
        stock.reserve(sale_id, 4242)
        before = catalog.sale_entry(sale_id).stats()
        answer = client.get(f"/api/flash-sales/{sale_id}").json
        after = catalog.sale_entry(sale_id).stats()
    assert after["hits"] == before["hits"] + 1 and after["misses"] == before["misses"]
    assert answer["stock_left"] == 2  # live, although the rest came from the cache


def test_etag_304_and_a_new_etag_when_the_stock_moves(app, client):
    sale_id = make_sale(app, stock=3)
    etag = client.get(f"/api/flash-sales/{sale_id}").headers["ETag"]
    assert client.get(f"/api/flash-sales/{sale_id}", headers={"If-None-Match": etag}).status_code == 304
    with app.app_context():
        stock.reserve(sale_id, 4242)
    moved = client.get(f"/api/flash-sales/{sale_id}", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.json["stock_left"] == 2


def test_sales_are_served_from_the_database_while_redis_is_down(app, client, redis_server):
    sale_id = make_sale(app, stock=3)
    with redis_server.down():
        listed = client.get("/api/flash-sales")
        one = client.get(f"/api/flash-sales/{sale_id}")
    assert listed.status_code == one.status_code == 200
    assert listed.json["flash_sales"][0]["stock_left"] is None
    validate(client, one.json, "FlashSale")


def test_ended_sales_leave_the_list_but_answer_by_id(app, client):
    sale_id = make_sale(app, starts_in=timedelta(hours=-3), lasts=timedelta(hours=1))
    assert client.get("/api/flash-sales").json == {"flash_sales": []}
    assert client.get(f"/api/flash-sales/{sale_id}").json["status"] == "ended"


def test_sale_page_views_are_ranked(app, client, redis_client):
    sale_id = make_sale(app)
    for _ in range(3):
        client.get(f"/flash-sales/{sale_id}")
    assert redis_client.zscore("rank:sale-views", str(sale_id)) == 3

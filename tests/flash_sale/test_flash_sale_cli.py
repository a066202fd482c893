"""`flask flash-sale create | load | reconcile [--fix]` and the demo sales of `flask seed`."""

from pathlib import Path

from sqlalchemy import select

from tests.flash_sale.helpers import make_sale
from webapp.extensions import db
from webapp.flash_sale import keys, stock
from webapp.flash_sale.models import FlashSale


def test_create_saves_the_sale_and_loads_its_stock(app, runner, redis_client):
    result = runner.invoke(
        args=[
            "flash-sale",
            "create",
            "--name",
            "Desk lamp",
            "--price",
            "49.90",
            "--stock",
            "7",
            "--minutes",
            "30",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        sale = db.session.scalar(select(FlashSale))
        assert (sale.product_name, sale.price_cents, sale.total_stock, sale.remaining_stock) == (
            "Desk lamp",
            4990,
            7,
            7,
        )
        assert (sale.ends_at - sale.starts_at).total_seconds() == 1800
        assert sale.status() == "running"
    assert f"Flash sale {sale.id} created" in result.output
    assert redis_client.hget(keys.sale(sale.id), "stock") == b"7"


def test_create_refuses_bad_input_with_a_message(app, runner):
    for args, message in [
        (["--price", "0", "--stock", "1"], "price must be more than 0"),
        (["--price", "abc", "--stock", "1"], "is not a price"),
        (["--price", "1", "--stock", "0"], "0 is not in the range"),
        (["--price", "1", "--stock", "1", "--start", "tomorrow"], "is not a date-time"),
        (
            ["--price", "1", "--stock", "1", "--start", "2030-01-02T10:00", "--end", "2030-01-02T09:00"],
            "after",
        ),
    ]:
        result = runner.invoke(args=["flash-sale", "create", "--name", "X", *args])
        assert result.exit_code == 2, result.output
        assert message in result.output, result.output
    with app.app_context():
        assert db.session.scalar(select(FlashSale)) is None


def test_reconcile_reports_no_drift_on_a_fresh_sale(app, runner):
    sale_id = make_sale(app, stock=4)
    result = runner.invoke(args=["flash-sale", "reconcile", str(sale_id)])
    assert result.exit_code == 0
    assert "Redis stock 4, database stock 4" in result.output
    assert "no drift" in result.output


def test_reconcile_shows_drift_and_fix_repairs_redis_from_the_database(app, runner, redis_client):
    sale_id = make_sale(app, stock=4)
    with app.app_context():
        stock.reserve(sale_id, 42)  # a reservation whose order never arrived
    redis_client.hset(keys.sale(sale_id), "stock", 1)
    result = runner.invoke(args=["flash-sale", "reconcile", str(sale_id)])
    assert result.exit_code == 1
    assert "Redis stock 1, database stock 4" in result.output
    assert "buyers in Redis without an order: [42]" in result.output

    fixed = runner.invoke(args=["flash-sale", "reconcile", str(sale_id), "--fix"])
    assert fixed.exit_code == 0
    assert "repaired Redis from the database" in fixed.output
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"4"
    assert redis_client.smembers(keys.buyers(sale_id)) == set()
    assert "no drift" in runner.invoke(args=["flash-sale", "reconcile", str(sale_id)]).output


def test_load_puts_a_lost_sale_back_into_redis(app, runner, redis_client):
    sale_id = make_sale(app, stock=5)
    redis_client.delete(keys.sale(sale_id))
    result = runner.invoke(args=["flash-sale", "load", str(sale_id)])
    assert result.exit_code == 0
    assert f"Sale {sale_id} loaded: 5 units left." in result.output
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"5"
    assert redis_client.ttl(keys.sale(sale_id)) > 0


def test_unknown_sale_and_redis_down_are_clear_errors(app, runner, redis_server):
    assert "There is no flash sale 999" in runner.invoke(args=["flash-sale", "load", "999"]).output
    sale_id = make_sale(app)
    with redis_server.down():
        result = runner.invoke(args=["flash-sale", "reconcile", str(sale_id)])
    assert result.exit_code == 1
    assert "Redis is not reachable" in result.output


def test_seed_adds_one_running_and_one_upcoming_sale_with_stock_loaded(app, runner, redis_client):
    with app.app_context():  # `seed` is a plain click command: the `flask` CLI pushes the context
        result = runner.invoke(args=["seed"])
        assert "Flash sales: 2 added" in result.output, result.output
        seeded = db.session.scalars(select(FlashSale).order_by(FlashSale.starts_at)).all()
        assert [sale.status() for sale in seeded] == ["running", "upcoming"]
        for sale in seeded:
            assert (Path(app.static_folder) / sale.image).is_file()
            assert redis_client.hget(keys.sale(sale.id), "stock") == str(sale.total_stock).encode()
        assert "Flash sales: already there." in runner.invoke(args=["seed"]).output

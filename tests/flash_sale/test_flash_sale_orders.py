"""Orders written by a real Celery worker: once per reservation, however often delivered."""

import json

import pytest
from sqlalchemy import event

from tests.flash_sale.helpers import JSON, buy, buy_token, db_state, make_sale, orders_of
from tests.support import wait_for
from webapp.auth.models import User
from webapp.extensions import celery, db
from webapp.flash_sale import feed, keys, stock
from webapp.flash_sale.orders import place_order
from webapp.jobs import CREATE_ORDER as CREATE_ORDER_TASK


def wait_for_task(client, task_id, timeout=20):
    replies = []

    def done():
        replies.append(client.get(f"/tasks/{task_id}").json)
        return replies[-1]["ready"]

    wait_for(done, timeout, f"task {task_id}")
    return replies[-1]


def test_buy_then_the_worker_writes_the_order_and_the_page_can_show_it(app, client, login, celery_worker):
    sale_id = make_sale(app, stock=3, name="Travel mug")
    user_id = login("+8613812345678")
    task = wait_for_task(client, buy(client, sale_id).json["task_id"])
    assert task["state"] == "SUCCESS"
    result = task["result"]
    assert result["sale_id"] == sale_id
    assert result["pay_within_seconds"] == app.config["ORDER_PAY_TIMEOUT"]
    [(order_id, order_no, buyer, state)] = orders_of(app, sale_id)
    assert (result["order_id"], result["order_no"], buyer, state) == (
        order_id,
        task["task_id"],
        user_id,
        "pending",
    )
    assert db_state(app, sale_id) == (2, 1)
    with app.app_context():
        assert feed.latest(sale_id) == [
            {"who": "138****5678", "product": "Travel mug", "at": feed.latest(sale_id)[0]["at"]}
        ]
    assert b"138****5678 bought Travel mug" in client.get(f"/flash-sales/{sale_id}").data
    orders_page = client.get("/orders").data
    assert f'data-order-id="{order_id}" data-order-state="pending"'.encode() in orders_page


def test_paying_marks_the_order_paid_and_paying_again_is_harmless(app, client, login, celery_worker):
    sale_id = make_sale(app)
    login()
    task = wait_for_task(client, buy(client, sale_id).json["task_id"])
    order_id = task["result"]["order_id"]
    token = buy_token(client, sale_id)
    for _ in range(2):
        paid = client.post(f"/orders/{order_id}/pay", headers={**JSON, "X-CSRFToken": token})
        assert paid.status_code == 200
        assert paid.json == {"order_id": order_id, "state": "paid"}
    # someone else's order is not theirs to pay
    login("+8613800000077")
    assert client.post(f"/orders/{order_id}/pay", headers={**JSON, "X-CSRFToken": token}).status_code == 404


@pytest.mark.concurrency
def test_the_same_create_order_message_delivered_twice_creates_one_order(
    app, login, celery_worker, redis_server
):
    sale_id = make_sale(app, stock=3)
    user_id = login()
    with app.app_context():
        order_no = place_order(sale_id, user_id)
        # The broker delivering the same message again: same task id, same arguments.
        celery.send_task(CREATE_ORDER_TASK, args=[order_no, sale_id, user_id], task_id=order_no)
    wait_for(lambda: not in_broker(redis_server, order_no), 20, "both deliveries to run and be acknowledged")
    assert celery_worker.tail(100000).count(f"create_order[{order_no}] received") == 2
    assert [row[1] for row in orders_of(app, sale_id)] == [order_no]
    assert db_state(app, sale_id) == (2, 1)


@pytest.mark.concurrency
def test_duplicate_deliveries_running_at_the_same_time_create_one_order(
    app, login, celery_worker, redis_client, redis_server
):
    sale_id = make_sale(app, stock=3)
    user_id = login()
    with app.app_context():
        stock.reserve(sale_id, user_id)
        order_no = "d" * 32
        for _ in range(6):  # the worker runs 4 at once
            celery.send_task(CREATE_ORDER_TASK, args=[order_no, sale_id, user_id], task_id=order_no)
    wait_for(
        lambda: not in_broker(redis_server, order_no), 30, "all six deliveries to run and be acknowledged"
    )
    assert [row[1] for row in orders_of(app, sale_id)] == [order_no]
    assert db_state(app, sale_id) == (2, 1)
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"2"


def test_an_order_the_database_cannot_fill_fails_with_its_reason(app, client, login, celery_worker):
    """Even if Redis were wrong (here: loaded with more stock than the database has), the
    database's conditional UPDATE refuses the extra sale."""
    sale_id = make_sale(app, stock=1)
    with app.app_context():
        from webapp.extensions import redis_client

        redis_client.hset(keys.sale(sale_id), "stock", 2)  # Redis drifts upwards
    login("+8613800000001")
    first = wait_for_task(client, buy(client, sale_id).json["task_id"])
    login("+8613800000002")
    second = wait_for_task(client, buy(client, sale_id).json["task_id"])
    assert first["state"] == "SUCCESS"
    assert second["state"] == "FAILURE"
    assert "Sold out" in second["error"]
    assert db_state(app, sale_id) == (0, 1)


def in_broker(redis_server, task_id, db=1):
    """Whether a create_order message for `task_id` is still queued or unacknowledged (late
    ack: a message leaves the broker only after its task has run)."""
    broker = redis_server.client(db)
    queued = [json.loads(raw) for raw in broker.lrange("celery", 0, -1)]
    unacked = [json.loads(raw)[0] for raw in broker.hvals("unacked")]
    return any(
        message["headers"]["id"] == task_id and message["headers"]["task"] == CREATE_ORDER_TASK
        for message in queued + unacked
    )


def test_buy_click_runs_no_sql_at_all(app, client, login):
    sale_id = make_sale(app, stock=3)
    login()
    token = buy_token(client, sale_id)
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert buy(client, sale_id, token).status_code == 202
        assert buy(client, sale_id, token).status_code == 409  # already bought
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert statements == []


def test_a_user_deleted_after_login_gets_no_order_and_the_unit_goes_back(
    app, client, login, celery_worker, redis_client
):
    sale_id = make_sale(app, stock=1)
    user_id = login()
    token = buy_token(client, sale_id)
    with app.app_context():
        db.session.delete(db.session.get(User, user_id))
        db.session.commit()
    response = buy(client, sale_id, token)  # the signed session still names the user
    assert response.status_code == 202
    task = wait_for_task(client, response.json["task_id"])
    assert task["state"] == "FAILURE"
    assert "no longer exists" in task["error"]
    assert orders_of(app, sale_id) == []
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"1"  # back on sale
    assert db_state(app, sale_id) == (1, 0)

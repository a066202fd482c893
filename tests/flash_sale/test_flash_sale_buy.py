"""The Buy endpoint answers from the Redis reservation: 202, or a clear 4xx/503, never a 500."""

import time
from datetime import timedelta

import pytest

from tests.flash_sale.helpers import JSON, buy, buy_token, db_state, make_sale
from tests.support import RedisServer, free_port
from webapp import create_app
from webapp.auth.models import User
from webapp.extensions import db
from webapp.flash_sale import keys

QUEUE_DB = 5  # a queue no worker reads: these tests look at the web side alone


@pytest.fixture(scope="module")
def settings(settings, redis_server):
    redis_server.wipe(QUEUE_DB)
    return {**settings, "CELERY_BROKER_URL": redis_server.url(QUEUE_DB)}


def test_buy_reserves_a_unit_and_answers_202_with_a_task_the_session_may_poll(
    app, client, login, redis_client
):
    sale_id = make_sale(app, stock=3)
    user_id = login("+8613800000001")
    response = buy(client, sale_id)
    assert response.status_code == 202
    task_id = response.json["task_id"]
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"2"
    assert redis_client.smembers(keys.buyers(sale_id)) == {str(user_id).encode()}
    # the session owns the task: its status is answered (PENDING: no worker reads this queue)
    assert client.get(f"/tasks/{task_id}").json["state"] == "PENDING"


def test_second_buy_by_the_same_user_is_409_already_bought(app, client, login, redis_client):
    sale_id = make_sale(app, stock=3)
    login()
    assert buy(client, sale_id).status_code == 202
    again = buy(client, sale_id)
    assert again.status_code == 409
    assert "already" in again.json["message"]
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"2"


def test_sold_out_is_409_and_stock_never_goes_below_zero(app, client, login, redis_client):
    sale_id = make_sale(app, stock=1)
    login("+8613800000001")
    assert buy(client, sale_id).status_code == 202
    login("+8613800000002")
    response = buy(client, sale_id)
    assert response.status_code == 409
    assert "Sold out" in response.json["message"]
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"0"


def test_before_start_and_after_end_are_403_with_the_reason(app, client, login):
    upcoming = make_sale(app, starts_in=timedelta(hours=1))
    ended = make_sale(app, starts_in=timedelta(hours=-2), lasts=timedelta(hours=1))
    login()
    early = buy(client, upcoming)
    assert early.status_code == 403
    assert "not started" in early.json["message"]
    late = buy(client, ended)
    assert late.status_code == 403
    assert "ended" in late.json["message"]


def test_not_logged_in_is_401_json(app, client):
    sale_id = make_sale(app)
    response = buy(client, sale_id)
    assert response.status_code == 401
    assert "log in" in response.json["message"]


def test_not_logged_in_form_post_is_sent_to_the_login_page(app, client):
    sale_id = make_sale(app)
    response = client.post(f"/flash-sales/{sale_id}/buy", data={"csrf_token": buy_token(client, sale_id)})
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_missing_csrf_token_is_400(app, client, login):
    sale_id = make_sale(app)
    login()
    response = client.post(f"/flash-sales/{sale_id}/buy", headers=JSON)
    assert response.status_code == 400
    assert "security token" in response.json["message"]


def test_unknown_and_malformed_ids_are_404_never_500(app, client, login):
    sale_id = make_sale(app)
    login()
    token = buy_token(client, sale_id)
    assert buy(client, 999999, token).status_code == 404
    assert "no such flash sale" in buy(client, 999999, token).json["message"]
    for path in (
        "/flash-sales/999999",
        "/flash-sales/abc",
        "/flash-sales/-1",
        "/flash-sales/99999999999999999999",
    ):
        assert client.get(path).status_code == 404, path
    for path in ("/flash-sales/abc/buy", "/flash-sales/1e3/buy", "/flash-sales/99999999999999999999/buy"):
        assert client.post(path, headers={**JSON, "X-CSRFToken": token}).status_code == 404, path
    assert client.post("/orders/abc/pay", headers={**JSON, "X-CSRFToken": token}).status_code == 404
    assert client.post("/orders/424242/pay", headers={**JSON, "X-CSRFToken": token}).status_code == 404
    assert client.get(f"/flash-sales/{sale_id}/buy").status_code == 405


def test_redis_down_answers_503_quickly_and_reserves_nothing(app, client, login, redis_server, redis_client):
    sale_id = make_sale(app, stock=2)
    login()
    token = buy_token(client, sale_id)
    with redis_server.down():
        started = time.monotonic()
        response = buy(client, sale_id, token)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert elapsed < 1.5
    assert db_state(app, sale_id) == (2, 0)


def test_redis_stalled_answers_503_within_about_a_second(app, client, login, redis_server):
    sale_id = make_sale(app, stock=2)
    login()
    token = buy_token(client, sale_id)
    with redis_server.stalled():
        started = time.monotonic()
        response = buy(client, sale_id, token)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert elapsed < 2.5  # 0.5 s socket timeout, one retry


def buy_through_broker(settings, app, broker_url):
    """A Buy click by a logged-in user on an app whose broker is `broker_url`:
    (response, seconds taken)."""
    sale_id = make_sale(app, stock=2)
    web = create_app("testing", {**settings, "CELERY_BROKER_URL": broker_url})
    client = web.test_client()
    with web.app_context():
        user = User(phone="+8613800000009")
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
    token = buy_token(client, sale_id)
    started = time.monotonic()
    response = buy(client, sale_id, token)
    return sale_id, response, time.monotonic() - started


def test_broker_down_gives_the_reservation_back_and_answers_503(settings, app, redis_client):
    sale_id, response, elapsed = buy_through_broker(settings, app, f"redis://127.0.0.1:{free_port()}/1")
    assert response.status_code == 503
    assert "nothing was reserved" in response.json["message"]
    assert elapsed < 3
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"2"
    assert redis_client.smembers(keys.buyers(sale_id)) == set()
    assert db_state(app, sale_id) == (2, 0)


def test_broker_that_never_answers_gives_the_reservation_back_within_seconds(
    settings, app, redis_client, run_dir
):
    (run_dir / "stalled-broker").mkdir(exist_ok=True)
    broker = RedisServer(run_dir / "stalled-broker")
    broker.start()
    try:
        with broker.stalled():
            sale_id, response, elapsed = buy_through_broker(settings, app, broker.url(1))
    finally:
        broker.stop()
    assert response.status_code == 503
    assert elapsed < 5
    assert redis_client.hget(keys.sale(sale_id), "stock") == b"2"
    assert redis_client.smembers(keys.buyers(sale_id)) == set()


def test_sale_not_loaded_into_redis_is_503_not_sold_out(app, client, login, redis_client):
    sale_id = make_sale(app, stock=2)
    redis_client.delete(keys.sale(sale_id))
    login()
    response = buy(client, sale_id)
    assert response.status_code == 503
    assert "not loaded" in response.json["message"]


def test_long_finished_sale_whose_keys_expired_is_403_ended(app, client, login, redis_client):
    sale_id = make_sale(app, starts_in=timedelta(days=-10), lasts=timedelta(hours=1))
    redis_client.delete(keys.sale(sale_id))
    login()
    response = buy(client, sale_id)
    assert response.status_code == 403
    assert "ended" in response.json["message"]


def test_form_post_without_javascript_redirects_to_my_orders(app, client, login):
    sale_id = make_sale(app)
    login()
    token = buy_token(client, sale_id)
    response = client.post(f"/flash-sales/{sale_id}/buy", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/orders")
    assert b"reserved for you" in client.get("/orders").data

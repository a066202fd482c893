"""A web process remembers a sold-out sale for a moment (SOLD_OUT_MEMO_SECONDS) and refuses the
clicks after the last unit without asking Redis; a unit given back is on sale again in time."""

import time

import pytest

from tests.flash_sale.helpers import buy, buy_token, make_sale
from tests.support import command_calls, wait_for
from webapp import create_app
from webapp.flash_sale import keys, stock
from webapp.flash_sale.errors import SoldOut

QUEUE_DB = 5  # a queue no worker reads: these tests look at the web side alone


@pytest.fixture(scope="module")
def settings(settings, redis_server):
    redis_server.wipe(QUEUE_DB)
    return {**settings, "CELERY_BROKER_URL": redis_server.url(QUEUE_DB), "SOLD_OUT_MEMO_SECONDS": 0.5}


def sold_out_sale(app, client, login):
    sale_id = make_sale(app, stock=1)
    login("+8613800000001")
    assert buy(client, sale_id).status_code == 202
    login("+8613800000002")
    return sale_id


def test_clicks_after_the_last_unit_are_refused_without_redis(app, client, login, redis_server):
    sale_id = sold_out_sale(app, client, login)
    token = buy_token(client, sale_id)
    assert buy(client, sale_id, token).status_code == 409  # Redis says sold out; remembered
    scripts_before = command_calls(redis_server, "evalsha")
    answers = [buy(client, sale_id, token) for _ in range(20)]
    assert {a.status_code for a in answers} == {409}
    assert all("Sold out" in a.json["message"] for a in answers)
    assert command_calls(redis_server, "evalsha") == scripts_before


def test_a_unit_given_back_elsewhere_is_on_sale_again_within_the_memo(app, client, login, redis_client):
    sale_id = sold_out_sale(app, client, login)
    token = buy_token(client, sale_id)
    assert buy(client, sale_id, token).status_code == 409
    redis_client.hincrby(keys.sale(sale_id), "stock", 1)  # another process cancelled an order
    given_back = time.monotonic()
    wait_for(lambda: buy(client, sale_id, token).status_code == 202, 5, "the unit on sale again")
    assert time.monotonic() - given_back < 0.5 + 0.5  # the memo, plus a slow test machine


def test_a_unit_this_process_gives_back_is_on_sale_at_once(app, client, login):
    sale_id = sold_out_sale(app, client, login)
    token = buy_token(client, sale_id)
    assert buy(client, sale_id, token).status_code == 409
    with app.app_context():
        assert stock.release(sale_id, 1)  # the first buyer's order could not be queued
    assert buy(client, sale_id, token).status_code == 202


def test_with_no_memo_every_click_asks_redis(app, client, login, settings, redis_server):
    sale_id = sold_out_sale(app, client, login)
    other = create_app("testing", {**settings, "SOLD_OUT_MEMO_SECONDS": 0})
    scripts_before = command_calls(redis_server, "evalsha")
    with other.app_context():
        for _ in range(3):
            with pytest.raises(SoldOut):
                stock.reserve(sale_id, 3)
    assert command_calls(redis_server, "evalsha") == scripts_before + 3

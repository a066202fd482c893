"""Redis Sentinel: with REDIS_URL=redis+sentinel://..., every Redis user follows the master.
The master is killed mid-traffic: the homepage never answers 5xx, its counters are back within
10 s of the new master's election, the worker keeps consuming, a Buy works after the failover,
and nothing writes to the old master."""

import re
import time

import pytest

from tests.auth.helpers import send_code, wait_for_code
from tests.faults.conftest import Site
from tests.faults.helpers import logged_in_clients
from tests.flash_sale.helpers import buy, buy_token, make_sale, orders_of
from tests.support import SentinelCluster, start_beat, wait_for

PHONE = "+8613812345678"


@pytest.fixture
def cluster(tmp_path):
    cluster = SentinelCluster(tmp_path / "redis")
    cluster.start()
    yield cluster
    cluster.stop()


def visits(page):
    match = re.search(rb'data-visits-total="(\d+)"', page.data)
    return int(match.group(1)) if match else None


def test_everything_follows_the_master_through_a_failover(tmp_path, settings, cluster):
    site = Site(
        tmp_path,
        settings,
        persistent=True,
        REDIS_URL=cluster.url(0),
        CELERY_BROKER_URL="",
        CELERY_RESULT_BACKEND="",
    )
    try:
        app = site.app
        conf = app.extensions["celery"].conf
        assert (
            conf.broker_url.startswith("sentinel://")
            and conf.broker_transport_options["master_name"] == "shop"
        )
        site.start_worker()
        site.start(start_beat(site.settings, tmp_path))
        sale_id = make_sale(app, stock=3)
        first, second = logged_in_clients(app, 2)
        tokens = [buy_token(client, sale_id) for client in (first, second)]
        assert buy(first, sale_id, tokens[0]).status_code == 202
        wait_for(lambda: len(orders_of(app, sale_id)) == 1, 20, "the first order")
        home = app.test_client()
        assert visits(home.get("/")) is not None
        old_master = cluster.master
        wait_for(lambda: cluster.replica.client().info("replication")["master_repl_offset"]
                 >= old_master.client().info("replication")["master_repl_offset"], 10, "the replica to catch up")  # fmt: skip

        old_master.process.kill()  # SIGKILL: the master is gone
        statuses, elected_at = [], None
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            page = home.get("/")
            statuses.append(page.status_code)
            if elected_at is None and cluster.master_port() == cluster.replica.port:
                elected_at = time.monotonic()
            if elected_at and visits(page) is not None:
                break
            time.sleep(0.2)
        assert elected_at, "no new master was elected"
        assert max(statuses) < 500  # never a server error
        assert time.monotonic() - elected_at <= 10  # counters back within 10 s of the election

        assert buy(second, sale_id, tokens[1]).status_code == 202  # a Buy after the failover
        wait_for(lambda: len(orders_of(app, sale_id)) == 2, 30, "the order written after the failover")
        assert send_code(app.test_client(), PHONE).status_code == 202
        assert wait_for_code(site.settings["SMS_OUTBOX_PATH"], PHONE, timeout=30)  # the worker consumes
        assert app.extensions["redis"].connection_pool.get_master_address()[1] == cluster.replica.port
        assert old_master.process.poll() is not None  # nothing can have written to the old master
    finally:
        site.stop()

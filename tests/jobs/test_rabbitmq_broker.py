"""RabbitMQ as the broker (CELERY_BROKER_URL=amqp://...), proven against a real RabbitMQ: login
codes, orders, unpaid orders cancelled by beat, a countdown task, and the dashboard's queue
depth. Each test run gets a vhost of its own, deleted after (nothing else on the server is
touched)."""

import shutil
import subprocess
import time
import uuid

import pytest

from tests.auth.helpers import send_code, wait_for_code
from tests.faults.conftest import Site
from tests.faults.helpers import logged_in_clients
from tests.flash_sale.helpers import buy, db_state, make_sale, orders_of
from tests.support import wait_for
from webapp import jobs
from webapp.admin.dashboard import celery_info

PHONE = "+8613812345678"


def rabbitmqctl(*args):
    return subprocess.run(["rabbitmqctl", *args], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def rabbitmq_url():
    if not shutil.which("rabbitmqctl"):
        pytest.skip("RabbitMQ is not installed here (Debian: apt-get install rabbitmq-server)")
    vhost = f"redis_shop_test_{uuid.uuid4().hex[:8]}"
    made = rabbitmqctl("add_vhost", vhost)
    if made.returncode:
        pytest.skip(f"no RabbitMQ server to make a vhost on: {made.stderr.strip()[:200]}")
    try:
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        rabbitmqctl("delete_vhost", vhost)


@pytest.fixture
def site(tmp_path, settings, rabbitmq_url):
    site = Site(
        tmp_path,
        settings,
        persistent=False,
        CELERY_BROKER_URL=rabbitmq_url,
        ORDER_PAY_TIMEOUT=2,
        ORDER_SWEEP_SECONDS=1,
    )
    yield site
    site.stop()


def test_login_orders_and_cancellation_run_on_rabbitmq(site):
    site.start_worker(extra_args=("--beat",))
    app = site.app
    assert app.extensions["celery"].conf.broker_url.startswith("amqp://")

    assert send_code(app.test_client(), PHONE).status_code == 202
    assert wait_for_code(site.settings["SMS_OUTBOX_PATH"], PHONE)

    sale_id = make_sale(app, stock=1)
    first, second = logged_in_clients(app, 2)
    assert buy(first, sale_id).status_code == 202
    wait_for(lambda: [o[3] for o in orders_of(app, sale_id)] == ["pending"], 20, "the order")
    wait_for(lambda: [o[3] for o in orders_of(app, sale_id)] == ["cancelled"], 20, "beat's cancellation")
    assert db_state(app, sale_id) == (1, 1)
    assert buy(second, sale_id).status_code == 202  # the unit is back


def test_a_countdown_task_is_held_by_the_worker_and_runs_when_due(site):
    site.start_worker()
    with site.app.app_context():
        result = jobs.send_task(jobs.ROLL_UP_VISITS, [], countdown=2)  # keeps its result
    sent = time.monotonic()
    wait_for(lambda: result.state == "SUCCESS", 20, "the delayed task")
    assert time.monotonic() - sent >= 1.5


def test_the_dashboard_counts_messages_waiting_on_rabbitmq(site):
    with site.app.app_context():
        for _ in range(3):  # no worker yet: they wait in the queue
            jobs.send_task(jobs.REBUILD_BANNER_CACHE, [])
        assert celery_info.queue_lengths() == {"celery": 3}
    site.start_worker()
    with site.app.app_context():
        wait_for(lambda: celery_info.queue_lengths() == {"celery": 0}, 20, "the worker to drain it")

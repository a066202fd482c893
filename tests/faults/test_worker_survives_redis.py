"""A worker holding delayed (unacknowledged) messages survives Redis going away and coming back,
and consumes again within seconds: a login code asked for afterwards is delivered.

Without webapp/redis_broker.py, kombu 5.7 makes such a worker exit on a Redis restart."""

import time

import pytest

from tests.auth.helpers import send_code, wait_for_code
from tests.support import wait_for
from webapp import jobs

PHONE = "+8613812345678"


def hold_a_delayed_message(site, worker):
    """Queue a task due in 10 minutes: the worker takes it and holds it unacknowledged."""
    with site.app.app_context():
        result = jobs.send_task(jobs.REBUILD_BANNER_CACHE, [], countdown=600)
    wait_for(lambda: f"[{result.id}] received" in worker.tail(400), 15, "the worker to take the delayed task")


def stays_alive(worker, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert worker.alive(), f"the worker exited:\n{worker.tail(60)}"
        time.sleep(0.2)


def a_code_is_delivered(site):
    client = site.app.test_client()
    response = send_code(client, PHONE)
    assert response.status_code == 202, response.get_data(as_text=True)
    assert wait_for_code(site.settings["SMS_OUTBOX_PATH"], PHONE, timeout=15)


FAULTS = {
    "restart": lambda redis: redis.restart(),
    "stopped for 5 s": lambda redis: redis.restart(pause=5),
    "connection drop": lambda redis: redis.client().client_kill_filter(_type="normal", skipme=True),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_worker_holding_delayed_messages_survives_redis(site, fault):
    worker = site.start_worker()
    hold_a_delayed_message(site, worker)
    FAULTS[fault](site.redis)
    stays_alive(worker, 10)
    a_code_is_delivered(site)
    assert worker.alive()


def test_a_worker_survives_a_restart_of_a_redis_that_keeps_nothing(site_without_persistence):
    site = site_without_persistence
    worker = site.start_worker()
    hold_a_delayed_message(site, worker)
    site.redis.restart()
    stays_alive(worker, 10)
    a_code_is_delivered(site)

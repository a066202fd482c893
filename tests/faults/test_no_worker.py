"""When no worker is alive, the site says so instead of promising: /healthz answers 503 with
"workers": "none", and the login page and its answer say codes are delayed."""

from tests.auth.helpers import send_code
from tests.support import wait_for

PHONE = "+8613812345678"


def healthz(site):
    response = site.app.test_client().get("/healthz")
    return response.status_code, response.json


def test_with_every_worker_gone_healthz_and_the_login_page_say_so(site):
    client = site.app.test_client()
    status, report = healthz(site)
    assert status == 503 and report["workers"] == "none"
    assert report["checks"]["workers"] == {"status": "none", "count": 0}
    assert "Codes are delayed" in client.get("/auth/login").get_data(as_text=True)
    answer = send_code(client, PHONE)
    assert answer.status_code == 202  # queued: a worker coming back sends it
    assert answer.json["delayed"] is True and "Codes are delayed" in answer.json["message"]

    worker = site.start_worker()
    wait_for(lambda: healthz(site)[0] == 200, 15, "the worker's heartbeat")
    assert healthz(site)[1]["workers"] == 1
    assert "Codes are delayed" not in client.get("/auth/login").get_data(as_text=True)

    worker.stop()  # a worker that stops says goodbye at once
    wait_for(lambda: healthz(site)[1]["workers"] == "none", 5, "the stopped worker to leave")


def test_a_killed_worker_is_counted_gone_after_three_missed_heartbeats(site):
    worker = site.start_worker()
    wait_for(lambda: healthz(site)[0] == 200, 15, "the worker's heartbeat")
    worker.kill()
    assert healthz(site)[0] == 200  # its last heartbeat is still fresh...
    wait_for(
        lambda: healthz(site)[0] == 503,
        3 * site.app.config["WORKER_HEARTBEAT_SECONDS"] + 5,
        "the silence to be noticed",
    )

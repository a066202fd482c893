"""The send task on a real worker with the `http` backend, against a local provider that
fails twice and then accepts: retried with backoff, then sent; a refusal is not retried."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.auth.helpers import log_in, send_code
from tests.support import start_worker, wait_for, wait_for_worker
from webapp import create_app

PHONE = "+8613812345678"


class FakeProvider:
    """An SMS provider on a free local port answering the statuses it is given, in turn."""

    def __init__(self):
        self.requests = []
        self.statuses = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                provider.requests.append({"headers": dict(self.headers), "json": json.loads(body)})
                status = provider.statuses.pop(0) if provider.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def provider():
    provider = FakeProvider()
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def http_settings(settings, redis_server, provider):
    """Its own broker and result databases, so only the http worker below takes these tasks."""
    return {
        **settings,
        "CELERY_BROKER_URL": redis_server.url(3),
        "CELERY_RESULT_BACKEND": redis_server.url(4),
        "SMS_BACKEND": "http",
        "SMS_HTTP_URL": provider.url,
        "SMS_HTTP_API_KEY": "test-api-key",
        "SMS_HTTP_TIMEOUT": 2,
    }


@pytest.fixture(scope="module")
def http_worker(http_settings, run_dir):
    worker = start_worker(http_settings, run_dir, name="sms-http-worker")
    wait_for_worker(create_app("testing", http_settings).extensions["celery"], worker)
    yield worker
    worker.stop()


@pytest.fixture
def http_client(app, http_settings, provider):
    provider.requests.clear()
    provider.statuses.clear()
    return create_app("testing", http_settings).test_client()


def follow(client, task_id, timeout=30):
    states = []

    def finished():
        state = client.get(f"/tasks/{task_id}").get_json()
        states.append(state["state"])
        return state["ready"]

    wait_for(finished, timeout, f"task {task_id}")
    return client.get(f"/tasks/{task_id}").get_json(), states


def test_transient_provider_failures_are_retried_with_backoff_then_sent(http_client, provider, http_worker):
    provider.statuses.extend([503, 502])
    task_id = send_code(http_client, PHONE).get_json()["task_id"]
    final, states = follow(http_client, task_id)

    assert final["state"] == "SUCCESS" and final["result"] == {"sent": True, "to": "138****5678"}
    assert len(provider.requests) == 3
    first = provider.requests[0]
    assert first["headers"]["X-Api-Key"] == "test-api-key"
    assert first["headers"]["Content-Type"] == "application/json"
    assert first["json"]["to"] == PHONE and first["json"]["sender"] == "Redis Shop"
    assert all(request["json"] == first["json"] for request in provider.requests)  # the same code each time
    waits = [int(seconds) for seconds in re.findall(r"Retry in (\d+)s", http_worker.tail(400))[-2:]]
    assert len(waits) == 2 and waits[0] <= 2 and waits[1] <= 4  # backoff 2 s, 4 s, with full jitter

    code = re.search(r"code is (\d{6})", first["json"]["text"]).group(1)
    assert log_in(http_client, PHONE, code).status_code == 303


def test_a_provider_refusal_fails_the_task_without_retrying(http_client, provider, http_worker):
    provider.statuses.append(400)
    task_id = send_code(http_client, PHONE).get_json()["task_id"]
    final, _ = follow(http_client, task_id)
    assert final["state"] == "FAILURE"
    assert final["error"] == "The SMS provider refused the message (HTTP 400)."
    assert len(provider.requests) == 1

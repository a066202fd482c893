"""Redis or the broker down: a quick 503 with a clear message, and no code left behind."""

import socket
import time

import pytest

from tests.auth.helpers import issued_code, log_in, requester, send_code
from tests.support import csrf_token, free_port
from webapp import create_app
from webapp.auth import keys

PHONE = "+8613812345678"
UNAVAILABLE = "Login by SMS code is unavailable for a moment. Please try again in a minute."


def timed(action):
    started = time.monotonic()
    response = action()
    return response, time.monotonic() - started


@pytest.mark.parametrize("outage", ["down", "stalled"])
def test_sending_and_logging_in_answer_503_quickly_while_redis_is_out(client, redis_server, outage):
    token = csrf_token(client, "/auth/login")
    with getattr(redis_server, outage)():
        sent, send_seconds = timed(lambda: send_code(client, PHONE, token=token))
        login, login_seconds = timed(lambda: log_in(client, PHONE, "123456", as_json=True, token=token))
        page = client.get("/auth/login", headers={"Accept": "text/html"})
        home = client.get("/")
    assert sent.status_code == 503 and sent.get_json()["message"] == UNAVAILABLE
    assert sent.headers["Retry-After"]
    assert login.status_code == 503 and login.get_json()["message"] == UNAVAILABLE
    assert send_seconds < 1.5 and login_seconds < 1.5
    assert page.status_code == 200  # the login page itself needs no Redis
    assert home.status_code == 200  # nor does the homepage
    assert send_code(client, PHONE, token=token).status_code == 202  # and it all comes back


def test_redis_down_without_javascript_is_a_styled_503_page(client, redis_server):
    token = csrf_token(client, "/auth/login")
    with redis_server.down():
        response = send_code(client, PHONE, as_json=False, token=token)
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True) and "<!doctype html>" in response.get_data(
        as_text=True
    )


def test_broker_down_withdraws_the_code_and_says_sending_failed(app, settings, redis_client):
    dead_broker = f"redis://127.0.0.1:{free_port()}/1"
    broken = create_app("testing", {**settings, "CELERY_BROKER_URL": dead_broker})
    client = broken.test_client()
    sent, seconds = timed(lambda: send_code(client, PHONE))
    assert sent.status_code == 503
    assert sent.get_json()["message"] == "We could not send your code just now. Please try again in a minute."
    assert seconds < 1.5
    # Nothing is left as if sent: no code, no cooldown, the day's quota untouched.
    assert not redis_client.exists(keys.code(PHONE), keys.cooldown(PHONE, requester(app)))
    assert int(redis_client.get(keys.daily(PHONE, requester(app))) or 0) == 0
    with client.session_transaction() as session:
        assert "task_ids" not in session

    page = send_code(client, PHONE, as_json=False)
    assert page.status_code == 503 and "We could not send your code just now" in page.get_data(as_text=True)


def test_a_broker_that_accepts_but_never_answers_costs_about_a_second(app, settings, redis_client):
    black_hole = socket.socket()
    black_hole.bind(("127.0.0.1", 0))
    black_hole.listen(16)  # connections complete in the backlog; nothing ever replies
    try:
        port = black_hole.getsockname()[1]
        stalled = create_app("testing", {**settings, "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/1"})
        sent, seconds = timed(lambda: send_code(stalled.test_client(), PHONE))
    finally:
        black_hole.close()
    assert sent.status_code == 503 and "could not send your code" in sent.get_json()["message"]
    assert seconds < 2.0
    assert not redis_client.exists(keys.code(PHONE), keys.cooldown(PHONE, requester(app)))


def test_a_withdrawn_code_leaves_a_newer_code_alone(app, redis_client):
    from webapp.auth import codes

    app.config["SMS_RESEND_SECONDS"] = 1
    with app.app_context():
        first = codes.issue_code(PHONE)
        redis_client.delete(keys.cooldown(PHONE))
        second = codes.issue_code(PHONE)
        assert codes.withdraw_code(first) is False
        assert codes.is_current(PHONE, second.nonce)


def test_codes_work_again_after_a_redis_restart(app, client, redis_server):
    app.config["SMS_RESEND_SECONDS"] = 1
    code = issued_code(app, PHONE)
    with redis_server.down():
        pass  # the test Redis keeps nothing on disk: the code, and the loaded scripts, are gone
    response = log_in(client, PHONE, code, as_json=True)
    assert response.status_code == 400 and "expired" in response.get_json()["message"]
    fresh = issued_code(app, PHONE)  # the Lua scripts are loaded again on NOSCRIPT
    assert log_in(client, PHONE, fresh).status_code == 303

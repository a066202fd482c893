"""The code store on the real Redis: expiry, single use, lockout, binding to the phone,
hash-only storage, and atomicity under racing requests."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.auth.helpers import issued_code, log_in, send_code, wait_for_code
from tests.support import wait_for
from webapp.auth import codes, keys
from webapp.auth.errors import CodeError, CodeExpired

PHONE = "+8613812345678"
OTHER = "+8613987654321"


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def test_code_expires_after_its_ttl(app, client, redis_client):
    app.config["SMS_CODE_TTL"] = 1
    code = issued_code(app, PHONE)
    assert 0 < redis_client.pttl(keys.code(PHONE)) <= 1000
    wait_for(lambda: not redis_client.exists(keys.code(PHONE)), 5, "the code to expire")
    response = log_in(client, PHONE, code)
    assert response.status_code == 400
    assert "expired or was already used" in response.get_data(as_text=True)


def test_a_code_logs_in_only_once(app, client):
    code = issued_code(app, PHONE)
    assert log_in(client, PHONE, code).status_code == 303
    again = log_in(app.test_client(), PHONE, code, as_json=True)
    assert again.status_code == 400
    assert again.get_json()["message"] == "That code has expired or was already used. Ask for a new code."


def test_racing_logins_with_the_right_code_succeed_once(app):
    code = issued_code(app, PHONE)

    def attempt(_):
        with app.app_context():
            try:
                codes.verify_code(PHONE, code)
                return "ok"
            except CodeError as error:
                return type(error).__name__

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(attempt, range(16)))
    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "CodeExpired"}


def test_five_wrong_codes_invalidate_the_code(app, client, redis_client):
    code = issued_code(app, PHONE)
    for tries_left in (4, 3, 2, 1):
        response = log_in(client, PHONE, wrong(code), as_json=True)
        assert response.status_code == 400
        assert f"{tries_left} more tr" in response.get_json()["message"]
    fifth = log_in(client, PHONE, wrong(code), as_json=True)
    assert fifth.status_code == 400 and "Too many wrong codes" in fifth.get_json()["message"]
    assert not redis_client.exists(keys.code(PHONE))
    assert log_in(client, PHONE, code).status_code == 400  # even the right code is dead now


def test_racing_wrong_guesses_get_no_more_than_five_judged(app):
    code = issued_code(app, PHONE)
    guesses = [f"{(int(code) + n) % 10**6:06d}" for n in range(1, 40)]

    def attempt(guess):
        with app.app_context():
            try:
                codes.verify_code(PHONE, guess)
                return "ok"
            except CodeError as error:
                return type(error).__name__

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(attempt, guesses))
    assert outcomes.count("CodeInvalid") == 4
    assert "ok" not in outcomes
    with app.app_context(), pytest.raises(CodeExpired):
        codes.verify_code(PHONE, code)


def test_a_code_never_logs_in_another_phone(app, client):
    code_for_first = issued_code(app, PHONE)
    issued_code(app, OTHER)
    response = log_in(client, OTHER, code_for_first)
    assert response.status_code == 400
    assert log_in(client, PHONE, code_for_first).status_code == 303


def test_a_new_code_replaces_the_old_one(app, client):
    app.config["SMS_RESEND_SECONDS"] = 1
    old = issued_code(app, PHONE)
    with app.app_context():
        wait_for(lambda: not app.extensions["redis"].exists(keys.cooldown(PHONE)), 5, "cooldown")
    new = issued_code(app, PHONE)
    if old != new:
        assert log_in(client, PHONE, old).status_code == 400
    assert log_in(client, PHONE, new).status_code == 303


def every_redis_value(redis_server):
    """Every key and value in every database of the private Redis, as text."""
    for db in range(16):
        client = redis_server.client(db)
        for key in client.scan_iter(count=1000):
            kind = client.type(key).decode()
            if kind == "string":
                values = [client.get(key)]
            elif kind == "hash":
                values = [part for pair in client.hgetall(key).items() for part in pair]
            elif kind == "list":
                values = client.lrange(key, 0, -1)
            elif kind == "set":
                values = list(client.smembers(key))
            elif kind == "zset":
                values = [member for member, _ in client.zrange(key, 0, -1, withscores=True)]
            elif kind == "stream":
                values = [repr(entry).encode() for entry in client.xrange(key)]
            else:
                values = []
            yield db, key, b" ".join([key, *values]).decode(errors="replace")


def test_no_plaintext_code_anywhere_in_redis_or_the_worker_log(
    app, client, settings, redis_server, celery_worker
):
    task_id = send_code(client, PHONE).get_json()["task_id"]
    code = wait_for_code(settings["SMS_OUTBOX_PATH"], PHONE)
    wait_for(lambda: client.get(f"/tasks/{task_id}").get_json()["state"] == "SUCCESS", 10, "the send task")

    alone = re.compile(rf"(?<!\d){code}(?!\d)")
    seen = list(every_redis_value(redis_server))
    assert any(db == 0 and key == keys.code(PHONE).encode() for db, key, _ in seen)  # the verifier is there
    assert any(db == 2 for db, _, _ in seen)  # so is the task's result, with its arguments
    leaks = [(db, key) for db, key, text in seen if alone.search(text)]
    assert leaks == []
    assert not alone.search(celery_worker.tail(500))


def test_the_worker_never_sends_a_code_that_is_no_longer_live(app, settings):
    from tests.auth.helpers import outbox_messages
    from webapp.auth.delivery import deliver_code
    from webapp.auth.errors import CodeNotCurrent

    app.config["SMS_RESEND_SECONDS"] = 0
    with app.app_context():
        withdrawn = codes.issue_code(PHONE)
        codes.withdraw_code(withdrawn)
        replaced = codes.issue_code(OTHER)
        codes.issue_code(OTHER)
        for issued in (withdrawn, replaced):
            with pytest.raises(CodeNotCurrent, match="expired before it could be sent"):
                deliver_code(issued.phone, issued.nonce)
    assert outbox_messages(settings["SMS_OUTBOX_PATH"]) == []

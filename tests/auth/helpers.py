"""Helpers for the SMS-login tests: CSRF tokens from the page, posting the forms, the outbox."""

import json
import re
from pathlib import Path

from tests.support import csrf_token, wait_for

CODE_IN_TEXT = re.compile(r"login code is (\d{6})")
JSON = {"Accept": "application/json"}


def send_code(client, phone, as_json=True, token=None, environ_base=None, **fields):
    """POST the send-code form (from the address in `environ_base`'s REMOTE_ADDR, if given)."""
    data = {"phone": phone, "csrf_token": token or csrf_token(client, "/auth/login"), **fields}
    extra = {"environ_base": environ_base} if environ_base else {}
    return client.post("/auth/sms-code", data=data, headers=JSON if as_json else {}, **extra)


def log_in(client, phone, code, as_json=False, token=None, **fields):
    data = {"phone": phone, "code": code, "csrf_token": token or csrf_token(client, "/auth/login"), **fields}
    return client.post("/auth/login", data=data, headers=JSON if as_json else {})


def outbox_messages(path):
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def wait_for_code(outbox_path, phone, timeout=20):
    """The code in the newest message the outbox holds for `phone`."""
    found = {}

    def arrived():
        for message in outbox_messages(outbox_path):
            if message["to"] == phone:
                found["text"] = message["text"]
        return "text" in found

    wait_for(arrived, timeout, f"an SMS to {phone} in {outbox_path}")
    return CODE_IN_TEXT.search(found["text"]).group(1)


def issued_code(app, phone):
    """A code issued straight from the code store, for tests that do not need the worker."""
    from webapp.auth import codes

    with app.app_context():
        issued = codes.issue_code(phone)
        return codes.code_for(phone, issued.nonce)


def requester(app, address="127.0.0.1"):
    """The requester key the site counts the test client's requests under (its address)."""
    from webapp.web.clients import requester_key

    with app.test_request_context():
        return requester_key(address)

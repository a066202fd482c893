"""The SMS backends themselves: what the console logs, the file outbox under concurrency."""

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

from webapp.auth.errors import SmsRejected
from webapp.auth.sms import ConsoleBackend, FileBackend, backend_from_config

TEXT = "Redis Shop: your login code is 424242. It expires in 5 minutes. Never share it."


def test_console_backend_in_production_keeps_the_code_out_of_info_logs(caplog):
    caplog.set_level(logging.INFO, logger="webapp.auth.sms")
    ConsoleBackend({"ENV_NAME": "production"}).send("+8613812345678", TEXT)
    assert [r.getMessage() for r in caplog.records] == ["SMS to 138****5678 (79 characters)"]

    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="webapp.auth.sms")
    ConsoleBackend({"ENV_NAME": "production"}).send("+8613812345678", TEXT)
    assert any("424242" in r.getMessage() and r.levelno == logging.DEBUG for r in caplog.records)


def test_console_backend_in_development_shows_the_message(caplog):
    caplog.set_level(logging.INFO, logger="webapp.auth.sms")
    ConsoleBackend({"ENV_NAME": "development"}).send("+8613812345678", TEXT)
    assert any("424242" in r.getMessage() and r.levelno == logging.INFO for r in caplog.records)


def _write_many(path, worker):
    backend = FileBackend({"SMS_OUTBOX_PATH": path})
    for n in range(100):
        backend.send(f"+86138{worker:03d}{n:05d}", TEXT + " " + "x" * 3000)  # longer than a pipe buffer


def test_file_outbox_lines_never_interleave_between_writers(tmp_path):
    path = str(tmp_path / "outbox" / "sms.jsonl")
    # Spawned, not forked: a fork of this (by then multi-threaded) test process can inherit a lock
    # another thread holds, and hang.
    processes = [get_context("spawn").Process(target=_write_many, args=(path, w)) for w in range(3)]
    for process in processes:
        process.start()
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda w: _write_many(path, w), range(3, 6)))
    for process in processes:
        process.join(30)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    messages = [json.loads(line) for line in lines]
    assert len(messages) == 600
    assert {message["to"] for message in messages} == {
        f"+86138{w:03d}{n:05d}" for w in range(6) for n in range(100)
    }
    assert all(set(message) == {"to", "text", "sent_at"} for message in messages)


def test_an_unknown_backend_or_missing_provider_url_is_a_clear_failure():
    with pytest.raises(SmsRejected, match="SMS_BACKEND must be one of console, file, http"):
        backend_from_config({"SMS_BACKEND": "carrier-pigeon"})
    with pytest.raises(SmsRejected, match="SMS_HTTP_URL is not set"):
        backend_from_config(
            {
                "SMS_BACKEND": "http",
                "SMS_HTTP_URL": "",
                "SMS_HTTP_API_KEY": "",
                "SMS_HTTP_TIMEOUT": 1,
                "SITE_NAME": "x",
            }
        )

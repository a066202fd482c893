"""Settings: config.py's table read from the environment, secrets required in production, and
a bad setting refused at start with one sentence."""

import re
import subprocess
import sys

import pytest

from config import Config, ProductionConfig
from tests.support import ROOT, service_env
from webapp import create_app
from webapp.settings import ConfigError, load


def test_production_refuses_to_start_without_a_secret_key(settings):
    overrides = {**settings, "SECRET_KEY": None}
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app(ProductionConfig, overrides)


def test_production_refuses_the_development_only_sms_file_outbox(settings):
    overrides = {**settings, "SECRET_KEY": "k", "TRUSTED_HOSTS": "shop.example", "SMS_BACKEND": "file"}
    with pytest.raises(RuntimeError, match="development backend only"):
        create_app(ProductionConfig, overrides)


def test_each_setting_is_read_from_the_environment_as_the_type_of_its_default(monkeypatch):
    monkeypatch.setenv("ORDER_PAY_TIMEOUT", "120")
    monkeypatch.setenv("SOLD_OUT_MEMO_SECONDS", "0.5")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "yes")
    monkeypatch.setenv("SITE_NAME", "  Shop  ")
    monkeypatch.setenv("TESTING", "0")  # not a setting of Config's table: never read
    loaded = load("testing")
    assert loaded["ORDER_PAY_TIMEOUT"] == 120
    assert loaded["SOLD_OUT_MEMO_SECONDS"] == 0.5
    assert loaded["SESSION_COOKIE_SECURE"] is True and loaded["REMEMBER_COOKIE_SECURE"] is True
    assert loaded["SITE_NAME"] == "Shop"
    assert loaded["TESTING"] is True


def test_a_setting_that_is_not_a_number_is_refused_in_one_sentence(monkeypatch):
    monkeypatch.setenv("ORDER_PAY_TIMEOUT", "fifteen minutes")
    with pytest.raises(
        ConfigError, match=r"^ORDER_PAY_TIMEOUT must be a whole number, not 'fifteen minutes'\.$"
    ):
        load("testing")


def test_derived_settings_follow_the_instance_folder(tmp_path):
    loaded = load("testing", {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": ""})
    assert loaded["DATABASE_URL"] == f"sqlite:///{tmp_path / 'site.db'}"
    assert loaded["SMS_OUTBOX_PATH"] == str(tmp_path / "sms-outbox.jsonl")


def test_development_makes_one_secret_key_and_every_process_shares_it(tmp_path):
    first = load("development", {"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    again = load("development", {"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert len(first) == 64 and first == again
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("entry", ["wsgi", "tasks.celery"])
def test_the_web_and_the_worker_refuse_a_bad_setting_with_one_line_and_no_traceback(entry, settings):
    env = service_env({**settings, "REDIS_URL": "redis+nonsense://h/0"})
    run = subprocess.run(
        [sys.executable, "-c", f"import {entry}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert run.stderr.strip().splitlines() == [
        "Configuration error: REDIS_URL must start with redis://, rediss://, unix:// or redis+sentinel://, "
        "not 'redis+nonsense://h/0'."
    ]


def test_every_setting_is_explained_in_env_example():
    explained = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    settings = {name for name in vars(Config) if name.isupper()}
    assert settings - explained == set()

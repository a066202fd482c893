"""The operator's CLI: flask init-db | seed | cache rebuild | cache clear | visits."""

import re

import pytest
from sqlalchemy import inspect

from webapp import create_app
from webapp.extensions import db
from webapp.home.carousel import banner_list
from webapp.home.models import Banner


@pytest.fixture
def fresh_db_runner(settings, tmp_path):
    """A CLI runner for an app whose database file does not exist yet."""
    app = create_app("testing", {**settings, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"})
    yield app, app.test_cli_runner()
    with app.app_context():
        db.engine.dispose()


def test_init_db_migrates_a_new_database_to_the_models_schema(fresh_db_runner):
    app, runner = fresh_db_runner
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Database ready" in result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {"alembic_version", "banner", "user", "flash_sale", "flash_order"} <= tables

    check = runner.invoke(args=["db", "check"])  # the migrations describe the models exactly
    assert check.exit_code == 0, check.output

    again = runner.invoke(args=["init-db"])  # idempotent
    assert again.exit_code == 0, again.output


def test_init_db_refuses_a_database_without_migration_history(runner, app):
    result = runner.invoke(args=["init-db"])  # the test database is made by create_all
    assert result.exit_code != 0
    assert "no migration history" in result.output


def test_seed_loads_demo_banners_once(runner, app):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "Banners: 4 added." in first.output
    second = runner.invoke(args=["seed"])
    assert "Banners: already there." in second.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Banner.id))) == 4


def test_cache_rebuild_writes_the_list_and_clear_removes_it(runner, app, redis_client):
    runner.invoke(args=["seed"])
    result = runner.invoke(args=["cache", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rebuilt with 4 active banners" in result.output
    with app.app_context():
        key = banner_list.key
    assert redis_client.exists(key)
    redis_client.set("visits:total", 7)

    result = runner.invoke(args=["cache", "clear"])
    assert result.exit_code == 0, result.output
    assert not redis_client.exists(key)
    assert redis_client.get("visits:total") == b"7"  # counters are not cache


def test_visits_prints_today_total_and_unique(runner, client):
    for _ in range(3):
        client.get("/")
    result = runner.invoke(args=["visits"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Today \(\d{4}-\d\d-\d\d\): 3 visits, 1 unique visitors", result.output)
    assert "Total: 3 visits" in result.output


def test_commands_say_clearly_when_redis_is_down(runner, redis_server):
    with redis_server.down():
        result = runner.invoke(args=["visits"])
    assert result.exit_code != 0
    assert "Redis is not reachable" in result.output


def test_a_migration_command_leaves_the_sites_loggers_working(fresh_db_runner, caplog):
    """Alembic's logging set-up used to disable every logger that existed before it ran."""
    import logging

    from webapp.auth.sms import ConsoleBackend

    sms_log = logging.getLogger("webapp.auth.sms")
    _, runner = fresh_db_runner
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert not sms_log.disabled
    caplog.set_level(logging.INFO, logger="webapp.auth.sms")
    ConsoleBackend({"ENV_NAME": "production"}).send("+8613812345678", "code 424242")
    assert [r.getMessage() for r in caplog.records if r.name == "webapp.auth.sms"] == [
        "SMS to 138****5678 (11 characters)"
    ]

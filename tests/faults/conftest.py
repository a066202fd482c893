"""Fixtures for the fault tests: each test gets services of its own to break."""

import pytest

from tests.support import RedisServer, start_worker, wait_for_worker
from webapp import create_app
from webapp.extensions import db


class Site:
    """An app, its own Redis and a worker, with the settings that tie them together."""

    def __init__(self, tmp_path, base_settings, persistent, database_url=None, **overrides):
        self.dir = tmp_path
        self.redis = RedisServer(tmp_path, persistent=persistent)
        self.redis.start()
        self.settings = {
            **base_settings,
            "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'site.db'}",
            "REDIS_URL": self.redis.url(0),
            "CELERY_BROKER_URL": self.redis.url(1),
            "CELERY_RESULT_BACKEND": self.redis.url(2),
            "SMS_OUTBOX_PATH": str(tmp_path / "outbox.jsonl"),
            **overrides,
        }
        self.app = create_app("testing", self.settings)
        with self.app.app_context():
            db.create_all()
        self.workers = []
        self.services = []

    def start_worker(self, name="faults-worker", **options):
        worker = start_worker(self.settings, self.dir, name=name, **options)
        self.workers.append(worker)
        wait_for_worker(self.app.extensions["celery"], worker)
        return worker

    def start(self, service):
        """Keep a started service (gunicorn, beat) to stop with the site."""
        self.services.append(service)
        return service

    def stop(self):
        for service in self.workers + self.services:
            service.stop()
        self.redis.stop()
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture
def site(tmp_path, settings):
    """A site on a Redis that keeps its data on disk (append-only file), as production does."""
    site = Site(tmp_path, settings, persistent=True)
    yield site
    site.stop()


@pytest.fixture
def site_without_persistence(tmp_path, settings):
    site = Site(tmp_path, settings, persistent=False)
    yield site
    site.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def each_database(request, tmp_path):
    """Each test that takes this runs on SQLite and on PostgreSQL (a throwaway database)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'site.db'}"
    return request.getfixturevalue("postgres_url")

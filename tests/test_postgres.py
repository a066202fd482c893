"""The site on PostgreSQL (DATABASE_URL), in a throwaway database this test creates and drops."""

import os
import re
import uuid

import psycopg
import pytest

from webapp import create_app
from webapp.extensions import db
from webapp.home.carousel import seed_demo_banners

SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def postgres_url():
    name = f"redis_shop_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=2)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL at {SERVER}: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield SERVER.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_homepage_and_cli_work_on_postgresql(postgres_url, settings):
    app = create_app("testing", {**settings, "DATABASE_URL": postgres_url})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        assert seed_demo_banners() == 4
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert len(re.findall(rb"data-banner-id=", response.data)) == 4
    with app.app_context():
        db.engine.dispose()

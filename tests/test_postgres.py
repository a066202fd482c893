"""The site on PostgreSQL (DATABASE_URL), in a throwaway database this test creates and drops."""

import re

from webapp import create_app
from webapp.extensions import db
from webapp.home.carousel import seed_demo_banners


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

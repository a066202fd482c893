"""Fixtures for the admin tests (this folder only)."""

import pytest

from webapp.extensions import db
from webapp.home.carousel import seed_demo_banners
from webapp.home.models import Banner


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path):
    """Each test's uploads in a folder of its own."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def admin(login):
    return login("+8613800000099", admin=True)


@pytest.fixture
def banners(app):
    with app.app_context():
        seed_demo_banners()
        return [b.id for b in db.session.scalars(db.select(Banner).order_by(Banner.sort_order))]

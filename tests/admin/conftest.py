"""Fixtures for the admin tests (this folder only)."""

import pytest


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path):
    """Each test's uploads in a folder of its own."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"

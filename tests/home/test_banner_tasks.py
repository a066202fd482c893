"""The beat-driven rebuild keeps the cache true even for changes made behind the app's back."""

import re

from sqlalchemy import text

from tests.support import start_beat, wait_for
from webapp.extensions import db
from webapp.home.carousel import banner_list, seed_demo_banners


def titles(response):
    return re.findall(rb'<h2 class="slide-title">([^<]*)</h2>', response.data)


def test_rebuild_task_on_a_real_worker_picks_up_plain_sql_changes(app, client, celery_worker):
    from tasks.banners import rebuild_banner_cache

    with app.app_context():
        seed_demo_banners()
    client.get("/")  # cached
    with app.app_context():
        db.session.execute(text("UPDATE banner SET title = 'Changed by SQL' WHERE sort_order = 1"))
        db.session.commit()
    assert b"Changed by SQL" not in client.get("/").data  # still the cached copy

    with app.app_context():
        rebuild_banner_cache.delay()
    wait_for(lambda: titles(client.get("/"))[0] == b"Changed by SQL", 20, "the worker's rebuild")


def test_real_celery_beat_sends_the_rebuild_task(app, client, settings, run_dir, celery_worker):
    with app.app_context():
        seed_demo_banners()
        assert banner_list.stats()["rebuilt_at"] is None
    beat = start_beat({**settings, "BANNER_REFRESH_SECONDS": 1}, run_dir)
    try:
        with app.app_context():
            wait_for(lambda: banner_list.stats()["rebuilt_at"] is not None, 20, "beat's rebuild")
    finally:
        beat.stop()
    assert "Sending due task rebuild-banner-cache" in beat.tail(200)
    assert len(titles(client.get("/"))) == 4

"""The dashboard: every section with Redis up, a clear notice per section with Redis down."""

import re

from tests.support import wait_for
from webapp.admin.dashboard import celery_info
from webapp.clock import today


def test_dashboard_shows_redis_cache_and_visits(app, client, admin, banners):
    for _ in range(3):
        client.get("/")
    page = client.get("/admin/").data.decode()
    assert re.search(r'data-live="redis.version">\d+\.\d+', page)
    assert 'data-live="cache.hits">2<' in page
    assert 'data-live="cache.misses">1<' in page
    assert "<svg" in page and page.count("<polyline") == 2
    assert 'data-live-error="redis" hidden' in page
    assert "admin-dashboard.js" in page and "cdn" not in page.lower()


def test_dashboard_json_has_every_live_figure(client, admin, banners):
    client.get("/")
    data = client.get("/admin/dashboard.json").json
    assert set(data) == {"redis", "cache", "celery", "rankings", "repairs", "schedule", "tasks"}
    assert data["redis"]["keys"]["db0"] > 0
    assert data["redis"]["clients"] >= 1
    assert data["cache"]["ttl"] > 0
    assert {entry["name"] for entry in data["schedule"]} >= {"rebuild-banner-cache", "roll-up-visits"}


def test_dashboard_chart_covers_thirty_days_with_todays_visits(app, client, admin, banners):
    for _ in range(4):
        client.get("/")
    page = client.get("/admin/").data.decode()
    visits_line = re.search(r'<polyline class="series-visits" fill="none" points="([^"]+)"', page).group(1)
    points = [tuple(map(float, p.split(","))) for p in visits_line.split()]
    assert len(points) == 30
    assert points[-1][1] < points[0][1]  # today (4 visits) drawn above an empty day


def test_dashboard_renders_with_a_clear_notice_while_redis_is_down(client, admin, banners, redis_server):
    with redis_server.down():
        response = client.get("/admin/")
        data = client.get("/admin/dashboard.json").json
    assert response.status_code == 200
    page = response.data.decode()
    assert "Redis is not reachable" in page
    assert "The Celery broker is not reachable" in page
    assert "<svg" in page  # the history comes from the database
    assert data["redis"] == {"error": "Redis is not reachable; these figures come back when it does."}
    assert "error" in data["celery"]


def test_dashboard_shows_workers_and_queues(client, admin, celery_worker):
    celery = client.application.extensions["celery"]
    seen = {}

    def worker_listed():  # a ping's short timeout can miss a busy worker once; it answers the next
        seen.update(client.get("/admin/dashboard.json").json["celery"])
        return any(name.startswith(f"{celery_worker.name}@") for name in seen["workers"])

    wait_for(worker_listed, 10, "the worker on the dashboard")
    assert seen["queues"] == {celery.conf.task_default_queue: 0}


def test_queue_lengths_count_every_priority_level(app, redis_server, monkeypatch):
    # A queue no worker consumes, so the messages stay put while we count them.
    monkeypatch.setattr(celery_info, "queue_names", lambda: ["reports"])
    broker = redis_server.client(1)
    broker.lpush("reports", "a", "b")
    broker.lpush("reports\x06\x163", "c")
    try:
        with app.app_context():
            assert celery_info.queue_lengths() == {"reports": 3}
    finally:
        broker.delete("reports", "reports\x06\x163")


def test_todays_counts_come_live_from_redis(app, client, banners):
    client.get("/")
    from webapp.stats.history import last_days

    with app.app_context():
        days = last_days(30)
        assert days[-1].day == today()
    assert (days[-1].visits, days[-1].visitors) == (1, 1)
    assert len(days) == 30 and all(d.visits == 0 for d in days[:-1])


def test_chart_axis_labels_are_whole_numbers_up_to_a_round_top(app):
    from datetime import date, timedelta

    from webapp.admin.dashboard.chart import line_chart
    from webapp.stats.history import DayCount

    for peak, top in [(0, 5), (3, 5), (7, 10), (13, 20), (260, 500), (1001, 2000)]:
        days = [DayCount(date(2026, 11, 1) + timedelta(days=n), peak if n == 3 else 0, 0) for n in range(30)]
        labels = [label for _, label in line_chart(days).y_ticks]
        assert labels[0] == "0" and labels[-1] == str(top)
        assert all(label.isdigit() for label in labels)

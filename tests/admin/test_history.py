"""History that survives restarts: the daily visits rollup and the Celery task log."""

from datetime import timedelta

from tests.support import wait_for
from webapp.extensions import db
from webapp.ops import task_log
from webapp.ops.models import TaskRun
from webapp.stats import history, visits
from webapp.stats.models import DailyVisits


def put_day(redis_client, day, count, visitors):
    redis_client.set(visits.day_key(day), count)
    redis_client.pfadd(visits.visitors_key(day), *[f"visitor-{i}" for i in range(visitors)])


def rows(app):
    with app.app_context():
        return {r.day: (r.visits, r.visitors) for r in db.session.scalars(db.select(DailyVisits))}


def test_rollup_writes_yesterdays_counts_and_is_idempotent(app, redis_client):
    with app.app_context():
        today = visits.today()
    yesterday = today - timedelta(days=1)
    put_day(redis_client, yesterday, 42, 7)
    put_day(redis_client, today, 5, 2)  # today is not finished: not rolled up
    with app.app_context():
        assert history.roll_up() == [yesterday]
        assert history.roll_up() == [yesterday]
    assert rows(app) == {yesterday: (42, 7)}


def test_rolled_up_history_survives_a_redis_restart(app, client, redis_client, redis_server):
    with app.app_context():
        yesterday = visits.today() - timedelta(days=1)
        put_day(redis_client, yesterday, 9, 3)
        history.roll_up()
    with redis_server.down():
        pass  # comes back empty
    with app.app_context():
        assert history.roll_up() == []  # nothing in Redis: the table is left alone
        days = history.last_days(30)
    assert rows(app) == {yesterday: (9, 3)}
    assert (days[-2].visits, days[-2].visitors) == (9, 3)


def test_rollup_catches_up_on_missed_days(app, redis_client):
    with app.app_context():
        today = visits.today()
    for n in (1, 3, 6):
        put_day(redis_client, today - timedelta(days=n), n * 10, n)
    with app.app_context():
        history.roll_up()
    assert rows(app) == {today - timedelta(days=n): (n * 10, n) for n in (1, 3, 6)}


def test_the_beat_task_rolls_up_in_a_real_worker(app, redis_client, celery_worker):
    from tasks.admin import roll_up_visits

    with app.app_context():
        yesterday = visits.today() - timedelta(days=1)
        put_day(redis_client, yesterday, 11, 4)
        assert roll_up_visits.delay().get(timeout=20) == [yesterday.isoformat()]
    assert rows(app) == {yesterday: (11, 4)}


def task_rows(app, task_id):
    with app.app_context():
        return db.session.scalar(db.select(TaskRun).filter_by(task_id=task_id))


def test_the_worker_records_each_task_run_with_state_and_runtime(app, celery_worker):
    celery = app.extensions["celery"]
    with app.app_context():
        ok = celery.send_task("tasks.banners.rebuild_banner_cache")
        broken = celery.send_task("tasks.banners.rebuild_banner_cache", args=[1, 2, 3])
    wait_for(lambda: (r := task_rows(app, ok.id)) and r.state == "SUCCESS", 20, "the successful run")
    wait_for(lambda: (r := task_rows(app, broken.id)) and r.state == "FAILURE", 20, "the failed run")
    success, failure = task_rows(app, ok.id), task_rows(app, broken.id)
    assert success.name == "tasks.banners.rebuild_banner_cache"
    assert success.runtime is not None and success.runtime >= 0
    assert success.worker.startswith(f"{celery_worker.name}@")
    assert failure.error.startswith("TypeError")


def test_dashboard_lists_recent_tasks_and_beat_last_and_next_run(app, client, admin, celery_worker):
    celery = app.extensions["celery"]
    with app.app_context():
        run = celery.send_task("tasks.banners.rebuild_banner_cache")
    wait_for(lambda: (r := task_rows(app, run.id)) and r.state == "SUCCESS", 20, "the run")
    data = client.get("/admin/dashboard.json").json
    assert data["tasks"][0]["task_id"] == run.id
    entry = next(e for e in data["schedule"] if e["name"] == "rebuild-banner-cache")
    assert entry["last_run"] is not None and entry["next_run"] > entry["last_run"]
    page = client.get("/admin/").data.decode()
    assert "<td>tasks.banners.rebuild_banner_cache</td><td>SUCCESS</td>" in page


def test_task_history_is_trimmed_to_the_newest_runs(app):
    with app.app_context():
        for i in range(12):
            db.session.add(TaskRun(task_id=f"t{i}", name="x", state="SUCCESS"))
        db.session.commit()
        assert task_log.prune(keep=5) == 7
        assert db.session.scalar(db.select(db.func.count(TaskRun.id))) == 5

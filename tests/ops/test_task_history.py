"""The Celery task log: every run recorded by the worker, shown on the dashboard, trimmed."""

from tests.support import wait_for
from webapp.extensions import db
from webapp.ops import task_log
from webapp.ops.models import TaskRun


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

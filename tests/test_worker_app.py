"""The worker's and beat's app (tasks/celery.py) is built without the web layer, and loads none
of it: every worker process is some 6 MB lighter for it (docs/benchmarks.md)."""

import json
import subprocess
import sys

from tests.support import ROOT, service_env
from webapp import create_app, jobs

WEB_ONLY = ("flask_wtf", "flask_limiter", "wtforms", "phonenumbers", "flask_migrate", "webapp.web.extensions")

WHAT_A_WORKER_LOADS = """
import json, sys
from tasks.celery import app
app.loader.import_default_modules()  # every task module, as `celery worker` imports them
print(json.dumps(sorted(sys.modules)))
"""


def test_a_worker_imports_no_views_forms_or_web_extensions(settings):
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", WHAT_A_WORKER_LOADS],
            cwd=ROOT,
            env=service_env(settings),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert "tasks.orders" in loaded and "webapp.flash_sale.orders" in loaded
    assert [name for name in loaded if name.split(".")[0] in WEB_ONLY or name in WEB_ONLY] == []
    site = [name for name in loaded if name.startswith("webapp.")]
    assert [name for name in site if name.endswith((".views", ".forms", ".commands"))] == []


def test_the_worker_app_has_every_task_and_no_pages(settings):
    worker = create_app("testing", settings, serve_web=False)
    celery = worker.extensions["celery"]
    celery.loader.import_default_modules()
    assert {jobs.CREATE_ORDER, jobs.SEND_SMS_CODE, jobs.REBUILD_BANNER_CACHE} <= set(celery.tasks)
    assert worker.blueprints == {}
    assert [rule.endpoint for rule in worker.url_map.iter_rules()] == ["static"]

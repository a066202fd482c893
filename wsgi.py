"""The web entry point: `gunicorn wsgi:app`, `flask --app wsgi ...` (the worker and beat build
theirs in tasks/celery.py, without the web layer)."""

from webapp import create_app

app = create_app()
celery_app = app.extensions["celery"]

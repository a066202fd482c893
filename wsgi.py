"""The web entry point: `gunicorn wsgi:app`, `flask --app wsgi ...` (the worker and beat build
theirs in tasks/celery.py, without the web layer). A setting the site cannot run with stops it
here with one sentence."""

from webapp import create_app
from webapp.settings import ConfigError

try:
    app = create_app()
except ConfigError as error:
    raise SystemExit(f"Configuration error: {error}") from None

celery_app = app.extensions["celery"]

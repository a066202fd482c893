"""The entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`, `celery -A tasks ...`."""

from webapp import create_app

app = create_app()
celery_app = app.extensions["celery"]

"""Entry point for `celery -A tasks worker|beat`: builds the Flask app (via wsgi)."""

from wsgi import celery_app as app

__all__ = ["app"]

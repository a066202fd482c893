"""Entry point for `celery -A tasks worker|beat`: the app without its web layer.

A worker or beat never serves a page, so it builds the app with `serve_web=False` and never
imports the views, forms, CSRF protection, rate limiter or CLI commands: about 6 MB less in
the worker's main process and in each of its pool processes (docs/benchmarks.md)."""

from webapp import create_app

app = create_app(serve_web=False).extensions["celery"]

__all__ = ["app"]

"""Entry point for `celery -A tasks worker|beat`: the app without its web layer.

A worker or beat never serves a page, so it builds the app with `serve_web=False` and never
imports the views, forms, CSRF protection, rate limiter or CLI commands (docs/benchmarks.md
says what that saves in every worker process). A setting the site cannot run with stops it here
with one sentence."""

from webapp import create_app
from webapp.ops import task_log, workers
from webapp.settings import ConfigError

try:
    app = create_app(serve_web=False).extensions["celery"]
except ConfigError as error:
    raise SystemExit(f"Configuration error: {error}") from None

# What every worker does beside its tasks: record each run for the dashboard's history, and
# write a heartbeat that /healthz, the login page and the dashboard read.
task_log.connect()
workers.connect()

__all__ = ["app"]

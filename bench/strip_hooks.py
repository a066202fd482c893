"""gunicorn config for bench/homepage_hooks.py: remove some extensions' per-request hooks
from the loaded app in each worker, to measure what they cost under the real server.
Bench-only; the site never runs like this.

BENCH_STRIP=limiter drops Flask-Limiter's before_request, after_request and teardown hooks;
BENCH_STRIP=extensions also drops CSRFProtect's before_request and Flask-Login's
after_request hook and template context processor.
"""

import os

DROPPED = {
    "limiter": ("Limiter", "__inject_headers", "__release_context"),
    "extensions": (
        "Limiter",
        "__inject_headers",
        "__release_context",
        "csrf",
        "_update_remember",
        "_user_context",
    ),
}


def post_worker_init(worker):
    app = worker.wsgi
    names = DROPPED[os.environ["BENCH_STRIP"]]
    for table in (
        app.before_request_funcs,
        app.after_request_funcs,
        app.teardown_request_funcs,
        app.template_context_processors,
    ):
        for key, hooks in table.items():
            table[key] = [hook for hook in hooks if not any(name in repr(hook) for name in names)]

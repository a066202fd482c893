"""gunicorn config for stampede runs: log each SQL statement the workers send, and say
when each worker has loaded the app. Bench-only; nothing of it lives in the site.

    gunicorn --config bench/count_queries.py wsgi:app     (with the two variables below)

After fork, before the worker loads the app, it listens on every SQLAlchemy Engine's
`before_cursor_execute` and appends one line per statement to BENCH_QUERY_LOG (O_APPEND, so
workers' lines never interleave). Once the app is loaded it creates BENCH_READY_DIR/<pid>, so
the bench fires only at booted workers. The database's own counters are the primary count;
this log is the cross-check and shows which statements ran.
"""

import os
from pathlib import Path


def post_fork(server, worker):
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    log_fd = os.open(os.environ["BENCH_QUERY_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def log_statement(conn, cursor, statement, parameters, context, executemany):
        os.write(log_fd, f"{os.getpid()} {' '.join(statement.split())}\n".encode())

    event.listen(Engine, "before_cursor_execute", log_statement)


def post_worker_init(worker):
    Path(os.environ["BENCH_READY_DIR"], str(os.getpid())).touch()

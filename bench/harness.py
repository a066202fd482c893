"""The services a benchmark runs against: private, on loopback, stopped at the end.

- a redis-server of the run's own on a free port (the tests' `RedisServer`),
- gunicorn serving a WSGI app (`wsgi:app`, `bench.baseline_app:app`) with sync workers,
- a scratch PostgreSQL database, created for one run and dropped after it, whose table
  statistics count the queries the web processes sent (counted at the database, not in the app),
- the peak RSS (VmHWM) of gunicorn's workers, read from /proc.
"""

import os
import socket
import subprocess
import time
from pathlib import Path

import sqlalchemy
from sqlalchemy.engine import make_url

from tests.support import ROOT, VENV_BIN, RedisServer, Service, free_port, service_env, wait_for

__all__ = [
    "ROOT",
    "RedisServer",
    "ScratchPostgres",
    "add_postgres_option",
    "bench_env",
    "flask_cli",
    "start_gunicorn",
    "start_services",
]

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


class RunDir:
    """`bench/results/<name>-<time>/`, made now, and the machine's load while the run lasts."""

    def __init__(self, name):
        self.path = Path(__file__).resolve().parent / "results" / time.strftime(f"{name}-%Y%m%dT%H%M%S")
        self.path.mkdir(parents=True)
        self.load_before = os.getloadavg()[0]

    def loadavg(self):
        """{"start", "end"}: the 1-minute load average when the run began, and now."""
        return {"start": round(self.load_before, 2), "end": round(os.getloadavg()[0], 2)}


def add_postgres_option(parser):
    parser.add_argument(
        "--postgres",
        default=DEFAULT_POSTGRES,
        help="PostgreSQL server to create the scratch database on ('' for SQLite)",
    )


def start_services(stack, run_dir, postgres, name):
    """A private redis-server and a scratch database (PostgreSQL when `postgres` answers, else
    a SQLite file in `run_dir`), stopped and dropped when `stack` closes.

    Returns (redis, database or None, the site's settings pointing at them)."""
    redis = RedisServer(run_dir)
    redis.start()
    stack.callback(redis.stop)
    database = None
    if postgres and ScratchPostgres.reachable(postgres):
        database = ScratchPostgres(postgres, f"bench_{name}_{os.getpid()}").create()
        stack.callback(database.drop)
    settings = {
        "SECRET_KEY": "bench-secret-key",
        "TRUSTED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database.url if database else f"sqlite:///{run_dir / 'site.db'}",
        "REDIS_URL": redis.url(0),
        "CELERY_BROKER_URL": redis.url(1),
        "CELERY_RESULT_BACKEND": redis.url(2),
    }
    return redis, database, settings


def bench_env(settings):
    """Environment for a subprocess of the site: `settings` as variables, production config
    (no TESTING, no debug), like an operator's `gunicorn wsgi:app`."""
    env = service_env(settings)
    env["APP_ENV"] = "production"
    return env


def flask_cli(env, *args):
    """Run `flask --app wsgi <args>` as an operator would; raise with its output if it fails."""
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def start_gunicorn(app, env, logdir, name, workers=2, config=None):
    """gunicorn serving `app` with `workers` SYNC workers on a free loopback port, no access
    log; returns once it answers HTTP. `config` is an optional gunicorn config file."""
    port = free_port()
    args = [str(VENV_BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", str(workers), "--worker-class", "sync", "--name", name]
    if config:
        args += ["--config", str(config)]
    server = Service(name, args, env, logdir)
    server.url = f"http://127.0.0.1:{port}"
    server.workers = workers

    def answers():
        if not server.alive():
            raise RuntimeError(f"{name} exited:\n{server.tail()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    wait_for(answers, 30, name)
    return server


def child_pids(pid):
    """The processes whose parent is `pid` (gunicorn's workers, for its master)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return sorted(children)


def cpu_seconds(server):
    """User + system CPU time spent so far by gunicorn `server`'s workers. Sampled around a
    wrk run it gives CPU per request, which the neighbours' load disturbs far less than req/s."""
    ticks = 0
    for pid in child_pids(server.process.pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def memory_mb(pid):
    """{"peak": VmHWM, "now": VmRSS} of a live process, in MB (MiB)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            fields[key] = int(value.split()[0]) / 1024
    return {"peak": fields["VmHWM"], "now": fields["VmRSS"]}


def worker_memory(server):
    """Peak and current RSS of each of gunicorn `server`'s workers: {pid: {"peak", "now"}}."""
    return {pid: memory_mb(pid) for pid in child_pids(server.process.pid)}


class ScratchPostgres:
    """A database of the run's own on a PostgreSQL server, created at start and dropped at
    the end (nothing else on the server is touched).

    `table_scans(table)` reads pg_stat_user_tables (seq_scan + idx_scan): every query that
    reads the table adds one scan, whichever process sent it. A backend publishes its
    counters when it exits, so the count is taken once every other session has closed."""

    def __init__(self, server_url, name):
        self.server = make_url(server_url)
        self.name = name
        self.url = self.server.set(drivername="postgresql+psycopg2", database=name).render_as_string(
            hide_password=False
        )

    def _connect(self, database, timeout=3):
        """An autocommit connection to `database` on the server (SQLAlchemy's)."""
        url = self.server.set(drivername="postgresql+psycopg2", database=database)
        engine = sqlalchemy.create_engine(
            url,
            isolation_level="AUTOCOMMIT",
            poolclass=sqlalchemy.pool.NullPool,
            connect_args={"connect_timeout": timeout},
        )
        return engine.connect()

    def create(self):
        with self._connect(self.server.database) as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
        return self

    def drop(self):
        with self._connect(self.server.database) as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def wait_until_idle(self, timeout=15):
        """Wait until no session but ours is connected, so every counter is published."""
        with self._connect(self.server.database) as conn:

            def idle():
                query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
                return conn.exec_driver_sql(query, (self.name,)).scalar() == 0

            wait_for(idle, timeout, f"the sessions on {self.name} to close")

    def table_scans(self, table):
        self.wait_until_idle()
        time.sleep(0.2)  # an exited backend's stats land just after it leaves pg_stat_activity
        with self._connect(self.name) as conn:
            row = conn.exec_driver_sql(
                "SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = %s",
                (table,),
            ).fetchone()
        if row is None:
            raise RuntimeError(f"no table {table!r} in {self.name}")
        return row[0]

    @staticmethod
    def reachable(server_url):
        scratch = ScratchPostgres(server_url, "unused")
        try:
            scratch._connect(scratch.server.database, timeout=2).close()
        except sqlalchemy.exc.OperationalError:
            return False
        return True

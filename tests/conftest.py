"""Fixtures: app -> client/runner, on a private redis-server and a temporary SQLite file.

Session-scoped services (Redis, a Celery worker, gunicorn, the browser) start once; every
test starts from empty tables and an empty Redis database 0 (the app's keys).
"""

import os
import shutil
import threading
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ["APP_ENV"] = "testing"  # before config.py is imported: no developer's .env in tests

from tests.support import RedisServer, start_gunicorn, start_worker, wait_for, wait_for_worker
from webapp import create_app
from webapp.extensions import db
from webapp.ops import keys as ops_keys

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
POSTGRES_SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("run")


@pytest.fixture(scope="session")
def redis_server(run_dir):
    server = RedisServer(run_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def database_url(run_dir):
    """SQLite in the run's folder; with TEST_DATABASE=postgresql, a throwaway database on
    TEST_POSTGRES_URL's server for the whole run (scripts/test.sh runs the concurrency tests so)."""
    if os.environ.get("TEST_DATABASE") != "postgresql":
        yield f"sqlite:///{run_dir / 'test.db'}"
        return
    with throwaway_database("redis_shop_run") as url:
        yield url


@pytest.fixture(scope="session")
def settings(redis_server, run_dir, database_url):
    """Where the test run's services are: what TestConfig cannot know, shared by the in-process
    app (as overrides) and every subprocess (worker, gunicorn: as environment variables)."""
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_server.url(0),
        "CELERY_BROKER_URL": redis_server.url(1),
        "CELERY_RESULT_BACKEND": redis_server.url(2),
        "SMS_OUTBOX_PATH": str(run_dir / "sms-outbox.jsonl"),
    }


@pytest.fixture
def app(settings, redis_server):
    app = create_app("testing", settings)
    with app.app_context():
        db.create_all()
        _empty_tables()
    redis_server.wipe(
        0, keep=[ops_keys.worker_heartbeats()]
    )  # the session's worker's heartbeat outlives a test
    Path(settings["SMS_OUTBOX_PATH"]).unlink(missing_ok=True)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_tables():
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def redis_client(app):
    """The app's own Redis client (database 0 of the private server)."""
    return app.extensions["redis"]


@pytest.fixture(scope="session")
def _session_worker(settings, run_dir):
    holder = {}
    yield holder
    if holder.get("worker"):
        holder["worker"].stop()


@pytest.fixture
def celery_worker(_session_worker, settings, run_dir, redis_server):
    """A real `celery -A tasks worker` process, started once and shared by the run.

    It survives the tests' Redis outages (tests/faults/ proves that); should it have died
    anyway, it is restarted with a warning that carries its log, so one death fails one test."""
    worker = _session_worker.get("worker")
    if worker is None or not worker.alive():
        if worker is not None:
            worker.stop()
            warnings.warn(
                f"the shared Celery worker had died; restarting it:\n{worker.tail(5)}", stacklevel=1
            )
        worker = start_worker(settings, run_dir, name=f"worker{len(_session_worker)}")
        wait_for_worker(create_app("testing", settings).extensions["celery"], worker)
        _session_worker["worker"] = worker
        _session_worker[worker.name] = worker
    heartbeat = redis_server.client()
    # Known alive to the site too: a test's Redis restart drops the heartbeat for up to 5 s.
    wait_for(lambda: heartbeat.zcard(ops_keys.worker_heartbeats()), 10, f"{worker.name}'s heartbeat")
    return worker


@pytest.fixture(scope="session")
def live_server(settings, run_dir):
    """The site under a real gunicorn (2 sync workers), sharing the tests' Redis and database."""
    server = start_gunicorn(settings, run_dir)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    if not CHROMIUM:
        pytest.skip(
            "Chromium is not installed (Debian: apt-get install chromium); scripts/test.sh installs it as root"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_path():
    ARTIFACTS.mkdir(exist_ok=True)
    return lambda name: str(ARTIFACTS / f"{name}.png")


@pytest.fixture
def login(app, client):
    """Log `client` in as a user with this phone (created if new); returns the user.

    For tests of features behind login; the SMS login flow itself has its own tests."""
    from webapp.auth.models import User

    def login_as(phone="+8613800000001", admin=False, test_client=None):
        with app.app_context():
            user = db.session.scalar(db.select(User).filter_by(phone=phone))
            if user is None:
                user = User(phone=phone, is_admin=admin)
                db.session.add(user)
            user.is_admin = admin
            db.session.commit()
            user_id = user.id
        with (test_client or client).session_transaction() as session:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
        return user_id

    return login_as


@pytest.fixture
def admin(login):
    """`client` logged in as an admin; returns the user id."""
    return login("+8613800000099", admin=True)


@pytest.fixture
def banners(app):
    """The demo banners, saved; returns their ids in display order."""
    from webapp.home.carousel import seed_demo_banners
    from webapp.home.models import Banner

    with app.app_context():
        seed_demo_banners()
        return [b.id for b in db.session.scalars(db.select(Banner).order_by(Banner.sort_order))]


@pytest.fixture
def postgres_url():
    """A throwaway database on the machine's PostgreSQL (TEST_POSTGRES_URL), dropped after."""
    with throwaway_database("redis_shop_test") as url:
        yield url


@contextmanager
def throwaway_database(prefix):
    """A database of our own on POSTGRES_SERVER, dropped on the way out (nothing else on the
    server is touched); skips the test, saying why, when there is no PostgreSQL."""
    import sqlalchemy

    from webapp.database import engine_url

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    server = sqlalchemy.create_engine(
        engine_url(POSTGRES_SERVER), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2}
    )
    try:
        admin = server.connect()
    except sqlalchemy.exc.OperationalError as error:
        server.dispose()
        pytest.skip(f"no PostgreSQL at {POSTGRES_SERVER} (set TEST_POSTGRES_URL): {error.orig}")
    with admin:
        admin.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    server.dispose()


@pytest.fixture
def banner_queries(app):
    """Counts SELECTs on the banner table, from any thread."""
    from sqlalchemy import event

    count = {"n": 0}
    lock = threading.Lock()

    def on_execute(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "FROM banner" in statement:
            with lock:
                count["n"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    yield count
    event.remove(engine, "before_cursor_execute", on_execute)

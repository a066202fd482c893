"""Every setting of the site: its environment variable, its default and what it tunes.

Each name in `Config` is read from the environment variable of the same name (or from `.env`,
outside the tests), parsed as the type of its default (a flag for True/False); `.env.example`
explains each at length. `webapp/settings.py` does the reading; `Config.finish` checks the result.
The `Wiring` base holds what is the same on every site and is not read from the environment.
"""

from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


class Wiring:
    """How the extensions are put together; the same everywhere."""

    ENV_NAME = "development"  # which class (APP_ENV): development, production or testing
    CACHE_TYPE = "webapp.caching.JSONRedisCache"  # Flask-Caching storing JSON on the app's client
    CACHE_KEY_PREFIX = "cache:"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}  # a restarted database costs one request
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_NAME = "remember_token"  # Flask-Login's default, named for the templates
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    WTF_CSRF_TIME_LIMIT = None  # a form's token lives as long as its session
    # Rate limits (Flask-Limiter on the app's Redis pool). Redis down: 503, never an in-memory
    # fallback, whose per-process counts would multiply the limits.
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "limiter"
    RATELIMIT_SWALLOW_ERRORS = False
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = False
    # Flask-Limiter would put its window's reset into Retry-After on every limited response (a
    # 202 included); errors.py sets Retry-After on the 429s instead.
    RATELIMIT_HEADER_RETRY_AFTER = "X-RateLimit-Retry-After"


class Config(Wiring):
    # --- The site
    SECRET_KEY = None  # signs sessions and CSRF tokens, keys the login codes; production needs it
    SITE_NAME = "Redis Shop"
    TIMEZONE = "UTC"  # what people see, and where "today" ends
    TRUSTED_HOSTS = ()  # host names answered ("a.example,.b.example"); required in production
    PROXY_COUNT = 0  # reverse proxies trusted for X-Forwarded-*
    INSTANCE_PATH = str(BASE_DIR / "instance")  # this host's own files (dev SQLite, dev key, outbox)
    SESSION_COOKIE_SECURE = False  # cookies over HTTPS only
    HSTS_SECONDS = 0  # Strict-Transport-Security max-age, on HTTPS answers

    # --- Database and Redis
    DATABASE_URL = ""  # default: SQLite in INSTANCE_PATH; postgresql://user:pw@host/db
    # redis://, rediss://, unix://, or redis+sentinel://[:pw@]h1:p1,h2:p2/<master>/<db>
    REDIS_URL = "redis://127.0.0.1:6379/0"
    REDIS_SOCKET_TIMEOUT = 0.5  # seconds before a Redis command gives up: a dead Redis costs < 1 s

    # --- Celery
    CELERY_BROKER_URL = ""  # default: REDIS_URL's server, database 1; or amqp://user:pw@host/vhost
    CELERY_RESULT_BACKEND = ""  # default: REDIS_URL's server, database 2
    CELERY_SOCKET_TIMEOUT = 2.0  # seconds, for the result backend's and beat's Redis sockets
    BROKER_VISIBILITY_TIMEOUT = 300  # the Redis broker redelivers what is unacknowledged this long
    BROKER_RESTORE_SECONDS = 60  # how often workers look for such messages, about
    BROKER_PUBLISH_POOL = 10  # broker connections each web process keeps for publishing
    WORKER_HEARTBEAT_SECONDS = 5  # a worker unheard for three of these counts as gone
    TASK_LOG_KEEP = 1000  # task runs the dashboard's history keeps
    # Beat runs on every host; the lock holder sends. A dead sender is replaced within about
    # BEAT_LOCK_SECONDS + BEAT_TICK_SECONDS.
    BEAT_LOCK_SECONDS = 10
    BEAT_TICK_SECONDS = 2

    # --- The cache
    BANNER_CACHE_TTL = 300  # seconds, plus up to 10% jitter
    BANNER_REFRESH_SECONDS = 60  # beat's rebuild period: even a plain-SQL change shows by then
    SALE_CACHE_TTL = 60
    API_MAX_AGE = 15  # seconds browsers and proxies reuse an API answer, then revalidate by ETag
    CACHE_LOCK_SECONDS = 5  # longest one loader may hold a missing value's lock
    CACHE_WAIT_SECONDS = 1.0  # how long the others wait for it before serving the last good copy
    CACHE_POLL_SECONDS = 0.02

    # --- Visits
    VISIT_DAY_KEY_DAYS = 45  # days a day's counters stay in Redis
    VISITS_ROLLUP_SECONDS = 3600  # how often beat copies finished days into the database

    # --- SMS-code login
    SMS_BACKEND = "console"  # console, file (development only) or http
    SMS_OUTBOX_PATH = ""  # the file backend's outbox; default: INSTANCE_PATH/sms-outbox.jsonl
    SMS_HTTP_URL = ""
    SMS_HTTP_API_KEY = ""
    SMS_HTTP_TIMEOUT = 5.0
    SMS_DEFAULT_REGION = "CN"  # numbers typed without a country code
    SMS_CODE_TTL = 300  # seconds a code lives (600 at most)
    SMS_RESEND_SECONDS = 60  # cooldown per phone and requester
    SMS_DAILY_LIMIT = 10  # codes a day per phone and requester
    SMS_DAILY_BUDGET = 10_000  # codes a day for the whole site
    SMS_IP_HOURLY_LIMIT = 20  # code requests an hour per address
    SMS_LOGIN_IP_HOURLY_LIMIT = 60  # login attempts an hour per address
    SMS_MAX_ATTEMPTS = 5  # wrong guesses before a code dies

    # --- Flash sales
    ORDER_PAY_TIMEOUT = 15 * 60  # seconds to pay before the order is cancelled
    ORDER_SWEEP_SECONDS = 10  # how often beat cancels overdue orders and repairs stuck ones
    ORDER_REPUBLISH_SECONDS = 30  # a reservation unwritten this long gets its task sent again
    SALE_RELOAD_GRACE_SECONDS = 30  # a sale whose stock Redis lost stays paused this long
    SOLD_OUT_MEMO_SECONDS = 1.0  # each web process remembers a sold-out sale this long (0: never)

    # --- Admin
    UPLOAD_MAX_BYTES = 2 * 1024 * 1024  # largest image upload
    ADMIN_MASKED_KEY_PREFIXES = "session:,sms:,auth:,login:"  # values the key browser hides

    @classmethod
    def finish(cls, settings):
        """Check the settings once everything is read (ValueError: one sentence saying what to
        change), and fill in those that follow from others."""
        production = settings["ENV_NAME"] == "production"
        if not settings.get("SECRET_KEY"):
            raise ValueError("SECRET_KEY must be set in the environment in production.")
        if isinstance(settings["TRUSTED_HOSTS"], str):
            settings["TRUSTED_HOSTS"] = tuple(h.strip() for h in settings["TRUSTED_HOSTS"].split(","))
        settings["TRUSTED_HOSTS"] = [host for host in settings["TRUSTED_HOSTS"] if host]
        if production and not settings["TRUSTED_HOSTS"]:
            raise ValueError(
                "TRUSTED_HOSTS must be set in production (the host names the site answers to, "
                "comma-separated), or a forged Host header could steer its redirects."
            )
        if production and settings["SMS_BACKEND"] == "file":
            raise ValueError(
                "SMS_BACKEND=file writes codes to this host's disk: a development backend only. "
                "Use http (or console) in production."
            )
        if not 0 < settings["SMS_CODE_TTL"] <= 600:
            raise ValueError("SMS_CODE_TTL must be from 1 to 600 seconds.")
        instance = Path(settings["INSTANCE_PATH"])
        settings["DATABASE_URL"] = settings["DATABASE_URL"] or f"sqlite:///{instance / 'site.db'}"
        settings["SMS_OUTBOX_PATH"] = settings["SMS_OUTBOX_PATH"] or str(instance / "sms-outbox.jsonl")
        # kombu looks for unacknowledged messages every interval, but only every throttle-th look
        # goes to Redis: about once per BROKER_RESTORE_SECONDS in all.
        settings["BROKER_RESTORE_INTERVAL"] = min(10, settings["BROKER_RESTORE_SECONDS"])
        settings["BROKER_RESTORE_THROTTLE"] = max(1, settings["BROKER_RESTORE_SECONDS"] // 10)
        settings["CACHE_DEFAULT_TIMEOUT"] = settings["BANNER_CACHE_TTL"]
        settings["REMEMBER_COOKIE_SECURE"] = settings["SESSION_COOKIE_SECURE"]
        # No body much larger than the largest upload (413 beyond it); the margin is for the
        # other form fields and the multipart framing.
        settings["MAX_CONTENT_LENGTH"] = settings["UPLOAD_MAX_BYTES"] + 64 * 1024


class DevelopmentConfig(Config):
    pass  # without SECRET_KEY, webapp/settings.py makes one and keeps it in INSTANCE_PATH


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    HSTS_SECONDS = 365 * 24 * 3600


class TestConfig(Config):
    """The test suite's; its fixtures point it at their own Redis and database, and it never
    reads a developer's .env (tests/conftest.py sets APP_ENV=testing first)."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SMS_BACKEND = "file"


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "testing": TestConfig}

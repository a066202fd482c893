"""Every setting of the site, read from environment variables (`.env.example` explains each).

Development gets safe defaults; production refuses to start without a real SECRET_KEY.
Settings that follow from others are derived, and all of them checked, in `Config.finish`.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
# This host's own files (the development SQLite file and secret key, the SMS file outbox):
# nothing another host needs lives here.
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH") or BASE_DIR / "instance")

# A local .env (see .env.example) feeds the web app, the worker and beat alike; never the tests.
if os.environ.get("APP_ENV") != "testing":
    load_dotenv(BASE_DIR / ".env")


def env(name, default, cast=str):
    """The variable `name` as `cast` (str, int, float or flag); unset or empty: `default`."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return cast(value.strip())
    except ValueError:
        raise RuntimeError(f"{name} must be a {cast.__name__}, got {value!r}") from None


def flag(value):
    return value.lower() in {"1", "true", "yes", "on"}


def database_url(url):
    """postgres:// and postgresql:// URLs use psycopg2, the driver this project installs."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg2://" + url[len(scheme) :]
    return url


def sentinel_url(url):
    """(sentinels [(host, port)], master name, db, password) of a Sentinel URL in the form
    Flask-Limiter uses, redis+sentinel://[:password@]host1:port1,host2:port2/<master>/<db>;
    None for any other URL."""
    if not url.startswith("redis+sentinel://"):
        return None
    auth, _, rest = url[len("redis+sentinel://") :].rpartition("@")
    hosts, _, path = rest.partition("/")
    master, _, db = path.strip("/").partition("/")
    if not hosts or not master:
        raise RuntimeError(f"a Sentinel URL needs hosts and a master name: {url!r}")
    sentinels = [(host, int(port or 26379)) for host, _, port in (h.partition(":") for h in hosts.split(","))]
    return sentinels, master, int(db or 0), auth.partition(":")[2] or None


def redis_db_url(url, db):
    """The same Redis server as `url`, database `db` (redis://host:port/N)."""
    base, _, last = url.rstrip("/").rpartition("/")
    if "://" in base and last.isdigit():
        return f"{base}/{db}"
    return f"{url.rstrip('/')}/{db}"


class Config:
    ENV_NAME = "development"
    SECRET_KEY = env("SECRET_KEY", None)  # development makes one in instance/ (see finish)
    SITE_NAME = env("SITE_NAME", "Redis Shop")
    PROXY_COUNT = env("PROXY_COUNT", 0, int)  # reverse proxies trusted for X-Forwarded-*
    # Host names the site answers to (comma-separated; ".example.com" takes its subdomains too);
    # any other Host header gets a 400. Required in production, open in development.
    TRUSTED_HOSTS = env("TRUSTED_HOSTS", None)

    DATABASE_URL = env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'site.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Redis, and Celery on it unless told otherwise (empty: databases 1 and 2 of REDIS_URL).
    # Sentinel: redis+sentinel://[:password@]host1:port1,host2:port2,host3:port3/<master>/<db>.
    REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
    REDIS_SOCKET_TIMEOUT = env("REDIS_SOCKET_TIMEOUT", 0.5, float)  # a dead Redis costs < 1 s
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", "")
    BROKER_VISIBILITY_TIMEOUT = env("BROKER_VISIBILITY_TIMEOUT", 300, int)  # no task waits that long
    BROKER_RESTORE_SECONDS = env("BROKER_RESTORE_SECONDS", 60, int)
    # Beat may run on every host; the one holding a lock in Redis sends. A dead sender is
    # replaced within about BEAT_LOCK_SECONDS + BEAT_TICK_SECONDS.
    BEAT_LOCK_SECONDS = env("BEAT_LOCK_SECONDS", 10, int)
    BEAT_TICK_SECONDS = env("BEAT_TICK_SECONDS", 2, int)

    # The cache: Flask-Caching storing JSON on the app's Redis client.
    CACHE_TYPE = "webapp.caching.JSONRedisCache"
    CACHE_KEY_PREFIX = "cache:"
    BANNER_CACHE_TTL = env("BANNER_CACHE_TTL", 300, int)  # plus up to 10% jitter
    BANNER_REFRESH_SECONDS = env("BANNER_REFRESH_SECONDS", 60, int)  # beat's rebuild period
    SALE_CACHE_TTL = env("SALE_CACHE_TTL", 60, int)
    API_MAX_AGE = env("API_MAX_AGE", 15, int)  # browsers and proxies, revalidated by ETag

    # Visits: the day boundary, how long day keys live, how often beat rolls them up.
    TIMEZONE = env("TIMEZONE", "UTC")
    VISIT_DAY_KEY_DAYS = env("VISIT_DAY_KEY_DAYS", 45, int)
    VISITS_ROLLUP_SECONDS = env("VISITS_ROLLUP_SECONDS", 3600, int)

    # SMS-code login.
    SMS_BACKEND = env("SMS_BACKEND", "console")  # console, file or http
    SMS_OUTBOX_PATH = env("SMS_OUTBOX_PATH", str(INSTANCE_DIR / "sms-outbox.jsonl"))
    SMS_HTTP_URL = env("SMS_HTTP_URL", "")
    SMS_HTTP_API_KEY = env("SMS_HTTP_API_KEY", "")
    SMS_HTTP_TIMEOUT = env("SMS_HTTP_TIMEOUT", 5.0, float)
    SMS_DEFAULT_REGION = env("SMS_DEFAULT_REGION", "CN")
    SMS_CODE_TTL = min(env("SMS_CODE_TTL", 300, int), 600)
    SMS_RESEND_SECONDS = env("SMS_RESEND_SECONDS", 60, int)
    SMS_DAILY_LIMIT = env("SMS_DAILY_LIMIT", 10, int)  # per phone and requesting address
    SMS_DAILY_BUDGET = env("SMS_DAILY_BUDGET", 10_000, int)  # the whole site's codes a day
    SMS_IP_HOURLY_LIMIT = env("SMS_IP_HOURLY_LIMIT", 20, int)
    SMS_MAX_ATTEMPTS = env("SMS_MAX_ATTEMPTS", 5, int)
    SMS_LOGIN_IP_HOURLY_LIMIT = env("SMS_LOGIN_IP_HOURLY_LIMIT", 60, int)

    # Flash sale: time to pay; how often beat cancels overdue orders and sends again the order
    # tasks of reservations still unwritten after ORDER_REPUBLISH_SECONDS.
    ORDER_PAY_TIMEOUT = env("ORDER_PAY_TIMEOUT", 15 * 60, int)
    ORDER_SWEEP_SECONDS = env("ORDER_SWEEP_SECONDS", 10, int)
    ORDER_REPUBLISH_SECONDS = env("ORDER_REPUBLISH_SECONDS", 30, int)
    # A sale whose stock Redis lost stays paused this long (queued orders get written), then
    # beat loads it again from the database.
    SALE_RELOAD_GRACE_SECONDS = env("SALE_RELOAD_GRACE_SECONDS", 30, int)
    # Each web process remembers a sold-out sale this long, so the clicks after the last unit
    # are refused without a Redis round trip; a unit given back is on sale again within it.
    # 0 asks Redis on every click.
    SOLD_OUT_MEMO_SECONDS = env("SOLD_OUT_MEMO_SECONDS", 1.0, float)

    # Admin.
    UPLOAD_MAX_BYTES = env("UPLOAD_MAX_BYTES", 2 * 1024 * 1024, int)
    ADMIN_MASKED_KEY_PREFIXES = env("ADMIN_MASKED_KEY_PREFIXES", "session:,sms:,auth:,login:")

    # Sessions and forms.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env("SESSION_COOKIE_SECURE", False, flag)  # every cookie follows it
    HSTS_SECONDS = env("HSTS_SECONDS", 0, int)  # Strict-Transport-Security, over HTTPS only
    REMEMBER_COOKIE_NAME = "remember_token"  # Flask-Login's default, named for the templates
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    WTF_CSRF_TIME_LIMIT = None

    # Rate limits (Flask-Limiter, on the app's Redis pool). Redis down: the limiter raises and
    # the app answers 503; no in-memory fallback, whose per-process counts would multiply limits.
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "limiter"
    RATELIMIT_SWALLOW_ERRORS = False
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = False
    # Flask-Limiter would put its window's reset into Retry-After on every limited response
    # (a 202 included) and overwrite a view's own; errors.py sets Retry-After on its 429s.
    RATELIMIT_HEADER_RETRY_AFTER = "X-RateLimit-Retry-After"

    @classmethod
    def finish(cls, settings):
        """Derive the settings that follow from others and check them all, after overrides."""
        if not settings.get("SECRET_KEY") and settings["ENV_NAME"] == "development":
            settings["SECRET_KEY"] = _development_secret_key()
        if not settings.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in the environment in production.")
        if isinstance(settings["TRUSTED_HOSTS"], str):  # from the environment: "a.example,b.example"
            settings["TRUSTED_HOSTS"] = [
                host.strip() for host in settings["TRUSTED_HOSTS"].split(",") if host.strip()
            ]
        if settings["ENV_NAME"] == "production" and settings["SMS_BACKEND"] == "file":
            raise RuntimeError(
                "SMS_BACKEND=file writes codes to this host's disk: a development backend only. "
                "Use http (or console) in production."
            )
        if settings["ENV_NAME"] == "production" and not settings.get("TRUSTED_HOSTS"):
            raise RuntimeError(
                "TRUSTED_HOSTS must be set in production (the host names the site answers to, "
                "comma-separated), or a forged Host header could steer its redirects."
            )
        settings["SQLALCHEMY_DATABASE_URI"] = database_url(settings["DATABASE_URL"])
        redis_url = settings["REDIS_URL"]
        sentinel = sentinel_url(redis_url)
        if sentinel:  # Celery's form: sentinel://host:port/db;sentinel://..., master in the options
            settings["SENTINEL_MASTER"] = sentinel[1]
            password = f":{sentinel[3]}@" if sentinel[3] else ""
            celery_url = lambda db: ";".join(f"sentinel://{password}{h}:{p}/{db}" for h, p in sentinel[0])  # noqa: E731
        else:
            settings["SENTINEL_MASTER"] = None
            celery_url = lambda db: redis_db_url(redis_url, db)  # noqa: E731
        settings["CELERY_BROKER_URL"] = settings["CELERY_BROKER_URL"] or celery_url(1)
        settings["CELERY_RESULT_BACKEND"] = settings["CELERY_RESULT_BACKEND"] or celery_url(2)
        # The limiter uses the app's own pool (which follows a Sentinel master); the URI only
        # picks Flask-Limiter's plain Redis storage.
        settings["RATELIMIT_STORAGE_URI"] = "redis://"
        settings["CACHE_DEFAULT_TIMEOUT"] = settings["BANNER_CACHE_TTL"]
        settings["REMEMBER_COOKIE_SECURE"] = settings["SESSION_COOKIE_SECURE"]
        # No request body much larger than the largest image upload (413 beyond it); the
        # margin is for the other form fields and the multipart framing.
        settings["MAX_CONTENT_LENGTH"] = settings["UPLOAD_MAX_BYTES"] + 64 * 1024


class DevelopmentConfig(Config):
    pass


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = env("SESSION_COOKIE_SECURE", True, flag)
    HSTS_SECONDS = env("HSTS_SECONDS", 365 * 24 * 3600, int)


class TestConfig(Config):
    """The test suite's settings; its fixtures point it at their own Redis and database.
    They never read a developer's .env (tests/conftest.py sets APP_ENV=testing first)."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SMS_BACKEND = env("SMS_BACKEND", "file")


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "testing": TestConfig}


def config_for(name=None):
    """The config class named by `name` or by APP_ENV (default: development)."""
    name = name or env("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {sorted(CONFIGS)}, got {name!r}") from None


def _development_secret_key():
    """A random key made once and kept in instance/, so every process of a development site
    (two gunicorn workers, the worker, beat) signs sessions with the same key."""
    path = INSTANCE_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        INSTANCE_DIR.mkdir(exist_ok=True)
        key = secrets.token_hex(32)
        try:
            with open(path, "x") as handle:  # "x": the first process to get here wins
                handle.write(key)
        except FileExistsError:
            return path.read_text().strip()
        path.chmod(0o600)
        return key

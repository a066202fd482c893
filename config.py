"""Every setting of the site, read from environment variables.

Development gets safe defaults; production refuses to start without a real SECRET_KEY.
`.env.example` documents each variable.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# A local .env (see .env.example) feeds the web app, the worker and beat alike.
load_dotenv(BASE_DIR / ".env")


def _str(name, default=""):
    """The variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def _int(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number, got {value!r}") from None


def _bool(name, default=False):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key():
    """A random key made once and kept in instance/, so every process of a development
    site (two gunicorn workers, the worker, beat) signs sessions with the same key."""
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


def database_url(url):
    """postgres:// and postgresql:// URLs use psycopg 3, the driver this project installs."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def redis_db_url(url, db):
    """The same Redis server as `url`, database `db` (redis://host:port/N)."""
    base, _, last = url.rstrip("/").rpartition("/")
    if "://" in base and last.isdigit():
        return f"{base}/{db}"
    return f"{url.rstrip('/')}/{db}"


def celery_settings(
    broker_url,
    result_backend,
    banner_refresh_seconds,
    timezone,
    visibility_timeout=2 * 3600,
    restore_seconds=60,
):
    """Celery's own settings, lower-case as Celery names them (Flask's `CELERY` key)."""
    return {
        "broker_url": broker_url,
        "result_backend": result_backend,
        # JSON only: nothing a user can influence is ever unpickled.
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        "result_expires": 24 * 3600,
        "result_extended": True,
        "task_track_started": True,
        "timezone": timezone,
        "enable_utc": True,
        "broker_connection_retry_on_startup": True,
        # The Redis broker redelivers unacknowledged messages after this many seconds,
        # delayed (countdown/ETA) ones included; every countdown we use stays well below it.
        # Workers sweep for such messages about every `restore_seconds` (kombu's default
        # is 10 s x a throttle of 10: one sweep in 100 s).
        "broker_transport_options": {
            "visibility_timeout": visibility_timeout,
            "unacked_restore_interval": min(10, restore_seconds),
            "unacked_restore_throttle": max(1, restore_seconds // min(10, restore_seconds)),
        },
        "result_backend_transport_options": {"retry_policy": {"timeout": 2.0}},
        # The result backend's Redis sockets default to 120 s: a stalled Redis would hang a
        # status poll (or a send, which subscribes to the result) for two minutes.
        "redis_socket_timeout": 2.0,
        "redis_socket_connect_timeout": 2.0,
        "worker_prefetch_multiplier": 1,
        "imports": ("tasks.banners", "tasks.sms", "tasks.orders", "tasks.admin"),
        "beat_schedule_filename": str(INSTANCE_DIR / "celerybeat-schedule"),
        "beat_schedule": {
            "rebuild-banner-cache": {
                "task": "tasks.banners.rebuild_banner_cache",
                "schedule": float(banner_refresh_seconds),
            },
        },
    }


class Config:
    ENV_NAME = "development"
    SECRET_KEY = _str("SECRET_KEY")
    SITE_NAME = _str("SITE_NAME", "Redis Shop")

    SQLALCHEMY_DATABASE_URI = database_url(_str("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'site.db'}"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    REDIS_URL = _str("REDIS_URL", "redis://127.0.0.1:6379/0")
    # Kept short so a dead or stalled Redis costs a request well under a second.
    REDIS_SOCKET_TIMEOUT = float(_str("REDIS_SOCKET_TIMEOUT", "0.5"))
    # Empty means: the REDIS_URL server, databases 1 and 2 (derived in `finish`).
    CELERY_BROKER_URL = _str("CELERY_BROKER_URL", "")
    CELERY_RESULT_BACKEND = _str("CELERY_RESULT_BACKEND", "")

    BANNER_CACHE_TTL = _int("BANNER_CACHE_TTL", 300)
    BANNER_REFRESH_SECONDS = _int("BANNER_REFRESH_SECONDS", 60)
    TIMEZONE = _str("TIMEZONE", "UTC")
    VISIT_DAY_KEY_DAYS = _int("VISIT_DAY_KEY_DAYS", 45)

    # SMS-code login (issue 3).
    SMS_BACKEND = _str("SMS_BACKEND", "console")
    SMS_OUTBOX_PATH = _str("SMS_OUTBOX_PATH", str(INSTANCE_DIR / "sms-outbox.jsonl"))
    SMS_HTTP_URL = _str("SMS_HTTP_URL", "")
    SMS_HTTP_API_KEY = _str("SMS_HTTP_API_KEY", "")
    SMS_DEFAULT_REGION = _str("SMS_DEFAULT_REGION", "CN")
    SMS_CODE_TTL = min(_int("SMS_CODE_TTL", 300), 600)
    SMS_RESEND_SECONDS = _int("SMS_RESEND_SECONDS", 60)
    SMS_DAILY_LIMIT = _int("SMS_DAILY_LIMIT", 10)
    SMS_IP_HOURLY_LIMIT = _int("SMS_IP_HOURLY_LIMIT", 20)
    SMS_MAX_ATTEMPTS = _int("SMS_MAX_ATTEMPTS", 5)
    SMS_LOGIN_IP_HOURLY_LIMIT = _int("SMS_LOGIN_IP_HOURLY_LIMIT", 60)
    SMS_HTTP_TIMEOUT = float(_str("SMS_HTTP_TIMEOUT", "5"))
    PROXY_COUNT = _int("PROXY_COUNT", 0)

    # Flash sale (issue 4).
    ORDER_PAY_TIMEOUT = _int("ORDER_PAY_TIMEOUT", 15 * 60)
    # Beat also cancels any unpaid order past its time this often (should a delayed task be lost).
    ORDER_SWEEP_SECONDS = _int("ORDER_SWEEP_SECONDS", 60)
    # The Redis broker redelivers an unacknowledged message (delayed ones included) after this
    # many seconds; every countdown must stay well below it (checked in `finish`).
    BROKER_VISIBILITY_TIMEOUT = _int("BROKER_VISIBILITY_TIMEOUT", 2 * 3600)
    # How often a worker looks for unacknowledged messages older than that (seconds).
    BROKER_RESTORE_SECONDS = _int("BROKER_RESTORE_SECONDS", 60)

    # Admin uploads (issue 5).
    UPLOAD_MAX_BYTES = _int("UPLOAD_MAX_BYTES", 2 * 1024 * 1024)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    WTF_CSRF_TIME_LIMIT = None

    RATELIMIT_HEADERS_ENABLED = True
    # Flask-Limiter would otherwise put its window's reset into Retry-After on EVERY limited
    # response (a 202 included) and overwrite a view's own Retry-After (a 60 s cooldown would
    # read 3600). Its value goes under this name; errors.py sets Retry-After on its 429s.
    RATELIMIT_HEADER_RETRY_AFTER = "X-RateLimit-Retry-After"
    RATELIMIT_KEY_PREFIX = "limiter"
    # Redis down: the limiter raises (no silent in-memory fallback, whose per-process counts
    # would let the limits be exceeded by the number of processes) and the app answers 503.
    RATELIMIT_SWALLOW_ERRORS = False
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = False

    @classmethod
    def finish(cls, settings):
        """Derive the settings that depend on others, after overrides are applied."""
        if not settings.get("SECRET_KEY") and settings["ENV_NAME"] == "development":
            settings["SECRET_KEY"] = _development_secret_key()
        redis_url = settings["REDIS_URL"]
        settings["CELERY_BROKER_URL"] = settings.get("CELERY_BROKER_URL") or redis_db_url(redis_url, 1)
        settings["CELERY_RESULT_BACKEND"] = settings.get("CELERY_RESULT_BACKEND") or redis_db_url(
            redis_url, 2
        )
        settings.setdefault(
            "CELERY",
            celery_settings(
                settings["CELERY_BROKER_URL"],
                settings["CELERY_RESULT_BACKEND"],
                settings["BANNER_REFRESH_SECONDS"],
                settings["TIMEZONE"],
                settings["BROKER_VISIBILITY_TIMEOUT"],
                settings["BROKER_RESTORE_SECONDS"],
            ),
        )
        # The safety net under the delayed cancellations: a delayed message can be lost with
        # the broker's memory (a Redis restart without persistence), a sweep cannot.
        settings["CELERY"]["beat_schedule"].setdefault(
            "cancel-overdue-orders",
            {
                "task": "tasks.orders.cancel_overdue_orders",
                "schedule": float(settings["ORDER_SWEEP_SECONDS"]),
            },
        )
        visibility = settings["CELERY"]["broker_transport_options"]["visibility_timeout"]
        if settings["ORDER_PAY_TIMEOUT"] > visibility / 2:
            raise RuntimeError(
                f"ORDER_PAY_TIMEOUT ({settings['ORDER_PAY_TIMEOUT']} s) must stay well below the broker's "
                f"visibility timeout ({visibility} s, BROKER_VISIBILITY_TIMEOUT): at most half of it, or "
                "Redis redelivers the delayed cancellation before it is due"
            )
        settings.setdefault("RATELIMIT_STORAGE_URI", settings["REDIS_URL"])
        settings.setdefault("CACHE_DEFAULT_TIMEOUT", settings["BANNER_CACHE_TTL"])


class DevelopmentConfig(Config):
    pass


class ProductionConfig(Config):
    ENV_NAME = "production"
    SECRET_KEY = _str("SECRET_KEY")
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)


class TestConfig(Config):
    """The test suite's settings; its fixtures point it at their own Redis and database,
    through overrides in-process and the same variables in worker subprocesses."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = _str("SECRET_KEY", "test-secret-key")
    SMS_BACKEND = _str("SMS_BACKEND", "file")


CONFIGS = {  # chosen by APP_ENV
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestConfig,
}


def config_for(name=None):
    """The config class named by `name` or by APP_ENV (default: development)."""
    name = name or _str("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {sorted(CONFIGS)}, got {name!r}") from None

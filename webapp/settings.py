"""Reading the settings: config.py's table, then the environment (and `.env`), then a caller's
overrides, then `Config.finish`'s checks. The only module that reads the environment.

A bad setting stops the process at start with `ConfigError`, one sentence saying what to change;
the entry points (wsgi.py, tasks/celery.py) print it without a traceback.
"""

import os
import secrets
from pathlib import Path

from dotenv import load_dotenv
from flask import current_app

from config import BASE_DIR, CONFIGS, Config


class ConfigError(RuntimeError):
    """A setting the site cannot run with; `str(error)` says which and what to change."""


def config_class(name=None):
    """The config class named by `name` or by APP_ENV (default: development)."""
    name = name or os.environ.get("APP_ENV") or "development"
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"APP_ENV must be one of {', '.join(sorted(CONFIGS))}, not {name!r}.") from None


def load(config=None, overrides=None):
    """The settings of `config` (a config class, its name, or None for APP_ENV) as a dict:
    defaults, then the environment, then `overrides` (the tests'), derived and checked."""
    if os.environ.get("APP_ENV") != "testing":
        load_dotenv(BASE_DIR / ".env")  # a local .env feeds the web app, the worker and beat alike
    config = config if isinstance(config, type) else config_class(config)
    settings = {name: getattr(config, name) for name in dir(config) if name.isupper()}
    settings.update(from_environment())
    settings.update(overrides or {})
    if not settings.get("SECRET_KEY") and settings["ENV_NAME"] == "development":
        settings["SECRET_KEY"] = development_secret_key(Path(settings["INSTANCE_PATH"]))
    try:
        config.finish(settings)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    return settings


def from_environment():
    """Each setting of `Config` that the environment sets, parsed as the type of its default."""
    found = {}
    for name, default in vars(Config).items():
        value = os.environ.get(name, "").strip()
        if name.isupper() and value:
            found[name] = parse(name, value, default)
    return found


def parse(name, value, default):
    if isinstance(default, bool):
        return value.lower() in {"1", "true", "yes", "on"}
    if isinstance(default, tuple):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    for kind, what in ((int, "a whole number"), (float, "a number")):
        if isinstance(default, kind):
            try:
                return kind(value)
            except ValueError:
                raise ConfigError(f"{name} must be {what}, not {value!r}.") from None
    return value


def development_secret_key(instance):
    """A random key made once and kept in the instance folder, so every process of a
    development site (gunicorn's workers, the worker, beat) signs with the same key."""
    path = instance / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        instance.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        try:
            with open(path, "x") as handle:  # "x": the first process to get here wins
                handle.write(key)
        except FileExistsError:
            return path.read_text().strip()
        path.chmod(0o600)
        return key


def secret_key():
    """SECRET_KEY as bytes, for keyed hashes (login codes, requester keys)."""
    key = current_app.config["SECRET_KEY"]
    return key if isinstance(key, bytes) else key.encode()

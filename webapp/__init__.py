"""The application factory."""

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR
from webapp import database, redis, settings
from webapp.extensions import cache, login_manager
from webapp.features import feature_modules
from webapp.jobs import celery_init_app


def create_app(config=None, overrides=None, serve_web=True):
    """Build the app. `config` is a config class or its name (default: APP_ENV);
    `overrides` is a mapping applied on top of it (tests use this). A setting it cannot run
    with raises settings.ConfigError, one sentence long.

    `serve_web=False` builds it for the Celery worker and beat (tasks/celery.py): the database,
    Redis, the cache and Celery, without the pages, forms, CSRF, rate limits and CLI commands
    they never use, and without importing them."""
    loaded = settings.load(config, overrides)
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=loaded["INSTANCE_PATH"],
    )
    app.config.update(loaded)
    configure(app)
    register_extensions(app)
    if serve_web:
        register_web(app)
        register_commands(app)
    return app


def configure(app):
    if app.config["PROXY_COUNT"]:
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)


def register_extensions(app):
    redis.init_app(app)  # the app's one Redis client
    feature_modules("models")  # every table, and the login's user loader
    database.init_app(app)
    cache.init_app(app)
    celery_init_app(app)


def register_web(app):
    """Everything that serves pages. Imported here rather than at the top, as Flask's own
    tutorial imports its blueprints, so that a worker building the app never loads them."""
    from webapp.web import errors, extensions, security, speedups, templating
    from webapp.web.routing import IdConverter

    extensions.init_app(app)  # CSRF protection, the rate limiter
    # Templates get `current_user` from speedups.visitor_context instead, which leaves an
    # anonymous visitor's session unread.
    login_manager.init_app(app, add_context_processor=False)
    app.url_map.converters["id"] = IdConverter  # <id:...> in the rules
    for views in feature_modules("views"):
        app.register_blueprint(views.bp)
    speedups.install(app, extensions.limiter)
    errors.register(app)
    security.register(app)
    templating.register(app)


def register_commands(app):
    from webapp.commands import SITE_COMMANDS

    feature_commands = [module.cli for module in feature_modules("commands") if hasattr(module, "cli")]
    for command in SITE_COMMANDS + feature_commands:
        app.cli.add_command(command)

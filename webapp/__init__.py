"""The application factory."""

import logging
import os
from importlib import import_module
from importlib.util import find_spec

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, INSTANCE_DIR, config_for
from webapp.extensions import cache, db, login_manager
from webapp.jobs import celery_init_app
from webapp.redis import make_client

#: The site's features, each a package of webapp/. What a feature has is registered by itself:
#: `views.py` (a blueprint `bp`, with its own url_prefix), `models.py`, `commands.py` (a click
#: command or group `cli`). Adding a feature is adding its name here.
FEATURES = ("home", "auth", "flash_sale", "admin", "api", "ops", "stats")


def create_app(config=None, overrides=None, serve_web=True):
    """Build the app. `config` is a config class or its name (default: APP_ENV);
    `overrides` is a mapping applied on top of it (tests use this).

    `serve_web=False` builds it for the Celery worker and beat (tasks/celery.py): the database,
    Redis, the cache and Celery, without the pages, forms, CSRF, rate limits and CLI commands
    they never use, and without importing them (about 6 MB less in every worker process)."""
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    configure(app, config, overrides)
    register_extensions(app)
    if serve_web:
        register_web(app)
        register_commands(app)
    return app


def configure(app, config, overrides):
    config_class = config if isinstance(config, type) else config_for(config)
    app.config.from_object(config_class)
    app.config.from_mapping(overrides or {})
    config_class.finish(app.config)
    if app.config["PROXY_COUNT"]:
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)


def register_extensions(app):
    app.extensions["redis"] = make_client(app.config["REDIS_URL"], app.config["REDIS_SOCKET_TIMEOUT"])
    feature_modules("models")  # every table, and the login's user loader
    db.init_app(app)
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

    for command in SITE_COMMANDS + [module.cli for module in feature_modules("commands")]:
        app.cli.add_command(command)


def feature_modules(name):
    """Each feature's module `name` ("views", "models", "commands"), for the features that have one."""
    return [
        import_module(f"webapp.{feature}.{name}")
        for feature in FEATURES
        if find_spec(f"webapp.{feature}.{name}") is not None
    ]

"""The application factory."""

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, config_for
from webapp.cookie_session import CookieSessionInterface
from webapp.extensions import cache, csrf, db, limiter, login_manager
from webapp.jobs import celery_init_app
from webapp.ratelimits import confine_limiter_hooks
from webapp.redis import make_client
from webapp.web.routing import IdConverter


def create_app(config=None, overrides=None):
    """Build the app. `config` is a config class or its name (default: APP_ENV);
    `overrides` is a mapping applied on top of it (tests use this)."""
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.session_interface = CookieSessionInterface()
    configure(app, config, overrides)
    register_extensions(app)
    register_blueprints(app)
    confine_limiter_hooks(app, limiter)
    register_errorhandlers(app)
    register_template_helpers(app)
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
    # The rate limiter shares the app's pool, and with it the short timeouts: a dead or
    # stalled Redis fails the limit check within a second (answered 503), never hangs it.
    app.config["RATELIMIT_STORAGE_OPTIONS"] = {"connection_pool": app.extensions["redis"].connection_pool}
    import webapp.models  # noqa: F401  (models and the login user loader)

    db.init_app(app)
    cache.init_app(app)
    csrf.init_app(app)
    # Templates get `current_user` from webapp.web.templating.visitor_context instead, which leaves
    # an anonymous visitor's session unread.
    login_manager.init_app(app, add_context_processor=False)
    limiter.init_app(app)
    celery_init_app(app)


def register_blueprints(app):
    app.url_map.converters["id"] = IdConverter  # <id:...> in the rules below
    from webapp.admin.views import bp as admin_bp
    from webapp.api.views import bp as api_bp
    from webapp.auth.views import bp as auth_bp
    from webapp.flash_sale.views import bp as flash_sale_bp
    from webapp.home.views import bp as home_bp
    from webapp.ops.views import bp as ops_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(flash_sale_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(ops_bp)


def register_errorhandlers(app):
    from webapp.web.errors import register

    register(app)


def register_template_helpers(app):
    from webapp.web.templating import register

    register(app)


def register_commands(app):
    from webapp.commands import register

    register(app)

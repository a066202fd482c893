"""Flask-Limiter's hooks run only for blueprints that declare a limit; the limits still apply."""

from flask import Blueprint, Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from tests.auth.helpers import send_code
from webapp.web.speedups import confine_limiter_hooks

PHONE = "+8613812345678"


def small_app(**config):
    """A bare app with its own limiter (in memory): a limited view in `shop`, none in `pages`."""
    app = Flask(__name__)
    app.config.update(RATELIMIT_HEADERS_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", **config)
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    shop, pages = Blueprint("shop", __name__), Blueprint("pages", __name__)

    @shop.get("/buy")
    @limiter.limit("2 per minute")
    def buy():
        return "bought"

    @pages.get("/about")
    def about():
        return "about"

    app.register_blueprint(shop)
    app.register_blueprint(pages)
    confine_limiter_hooks(app, limiter)
    return app


def limiter_hooks(app):
    """The blueprints (None: app-wide) whose before_request hooks include the limiter's check."""
    return {
        name for name, hooks in app.before_request_funcs.items() if any("Limiter" in repr(h) for h in hooks)
    }


def test_homepage_requests_skip_the_rate_limiter(app):
    assert limiter_hooks(app) == {"auth"}
    assert not any("Limiter" in repr(hook) for hook in app.after_request_funcs.get(None, []))


def test_sms_code_answers_still_carry_rate_limit_headers(app, client):
    app.config["SMS_IP_HOURLY_LIMIT"] = 5
    sent = send_code(client, PHONE)
    assert sent.status_code == 202
    assert sent.headers["X-RateLimit-Limit"] == "5" and sent.headers["X-RateLimit-Remaining"] == "4"
    assert "X-RateLimit-Limit" not in client.get("/").headers


def test_a_limit_declared_in_any_blueprint_is_enforced_with_its_headers():
    app = small_app()
    assert limiter_hooks(app) == {"shop"}
    client = app.test_client()
    assert [client.get("/buy").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/buy").headers["X-RateLimit-Limit"] == "2"
    assert client.get("/about").status_code == 200
    assert "X-RateLimit-Limit" not in client.get("/about").headers


def test_app_wide_default_limits_keep_the_hooks_on_every_request():
    app = small_app(RATELIMIT_DEFAULT="3 per minute")
    assert limiter_hooks(app) == {None}
    client = app.test_client()
    assert [client.get("/about").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_limits_are_counted_in_the_apps_redis_so_every_process_shares_them(app, client, redis_client):
    """The site's limiter keeps its counters in Redis, never in one process's memory (where
    each gunicorn worker would allow the limit again)."""
    assert send_code(client, PHONE).status_code == 202
    assert any(b"limiter" in key for key in redis_client.scan_iter(count=1000))

"""Every speed-up that leans on a library's internals, in one place.

Each is kept because `bench/homepage.py` (or `bench/flash_sale.py`) showed it pays more than
~30 µs per request, or megabytes per process; the figure is beside each. Each was checked
against the versions in CHECKED_AGAINST, and `tests/web/test_speedups.py` fails loudly when an
upgrade changes a version or breaks the behaviour a speed-up relies on: re-check it then.

| speed-up | buys | leans on |
|---|---|---|
| `confine_limiter_hooks` | −87 µs per request without a limit | Flask-Limiter's hook functions, `_marked_for_limiting` |
| `visitor_context`, `without_session_cookie` | −33 µs per anonymous page; the homepage rendered once per version | Flask-Login keeps a login only in the session or remember cookie |
| `CookieSessionInterface` | −10 to −30 µs per request without a cookie | Flask's `SecureCookieSessionInterface` |
| `session_user_id` | −240 µs per Buy click (no user query) | Flask-Login keeps the id in `session["_user_id"]` |
| `LazyMigrateGroup` | −11 MB per web process (no Alembic) | Flask-Migrate's `db` group sets `g.directory`, `g.x_arg` |
"""

from functools import partial

import click
from flask import current_app, g, get_flashed_messages, has_request_context, request, session
from flask.cli import ScriptInfo, with_appcontext
from flask.sessions import SecureCookieSessionInterface
from flask_limiter.util import get_qualified_name
from flask_login import current_user

from webapp.extensions import login_manager

#: The versions each speed-up was checked against (tests/web/test_speedups.py compares them).
CHECKED_AGAINST = {
    "Flask": "3.1.3",
    "Flask-Login": "0.6.3",
    "Flask-Limiter": "4.1.1",
    "Flask-Migrate": "4.1.0",
}


# Flask-Limiter registers a before_request check, an after_request (X-RateLimit-* headers) and
# a teardown for every request of the app: ~70-85 µs on a page with no limit. This site declares
# limits with `@limiter.limit` on views, which the decorator checks itself; the app-wide hooks
# only serve default, application or meta limits, which it has none of. So the hooks move onto
# the blueprints that hold a limited view (a limit added later to another blueprint's view gets
# them too), and stay app-wide if an app-wide limit is ever configured.
APP_WIDE_LIMITS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


def confine_limiter_hooks(app, limiter):
    """Call after the blueprints are registered."""
    blueprints = limited_blueprints(app, limiter)
    if any(app.config.get(name) for name in APP_WIDE_LIMITS) or None in blueprints:
        return  # limits that apply beyond a blueprint: every request needs the hooks
    for hooks in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        own = [hook for hook in hooks.get(None, []) if _belongs_to(hook, limiter)]
        hooks[None] = [hook for hook in hooks.get(None, []) if hook not in own]
        for blueprint in blueprints:
            hooks.setdefault(blueprint, []).extend(own)


def limited_blueprints(app, limiter):
    """Names of the blueprints with a view decorated by `limiter.limit` (None: an app view)."""
    marked = limiter._marked_for_limiting  # the decorated views, as Flask-Limiter names them
    return {
        endpoint.rpartition(".")[0] or None
        for endpoint, view in app.view_functions.items()
        if get_qualified_name(view) in marked
    }


def _belongs_to(hook, limiter):
    if isinstance(hook, partial):  # after_request is partial(Limiter.__inject_headers, limiter)
        return limiter in hook.args
    return getattr(hook, "__self__", None) is limiter


def visitor_context():
    """`current_user` and `get_flashed_messages` for templates, reading the session only when
    the visitor sent a session (or remember-me) cookie.

    A login and flashed messages live in that cookie; without it there are none. Flask-Login's
    own context processor loads the user on every render (a session-protection hash of the
    client's address and User-Agent, then the session). This site logs in by session only, with
    no request loader. Pages still answer `Vary: Cookie`: the nav does depend on it."""
    if has_request_context() and not without_session_cookie():
        return {"current_user": current_user, "get_flashed_messages": get_flashed_messages}
    return {"current_user": login_manager.anonymous_user(), "get_flashed_messages": _no_messages}


def without_session_cookie():
    """True when the request brings neither a session nor a remember-me cookie: it cannot be
    logged in nor have a message flashed to it, so the page it gets is everybody's."""
    cookies, config = request.cookies, current_app.config
    return config["SESSION_COOKIE_NAME"] not in cookies and config["REMEMBER_COOKIE_NAME"] not in cookies


def _no_messages(with_categories=False, category_filter=()):
    return []


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's own session, except that a request without a session cookie (a first visit, an
    anonymous homepage, a health check) gets its empty session without Flask first building the
    signing serializer it would not use. Saving is unchanged."""

    def open_session(self, app, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def session_user_id():
    """The logged-in user's id as the signed session holds it, without loading the User row.

    For hot endpoints that need only the id (the flash-sale Buy click, where most clicks are
    refusals and a database query would be most of their cost). The session cookie is signed
    with SECRET_KEY, so the id cannot be forged; whether the session was revoked since is for
    the caller to check (the Buy script compares the session's version with Redis's copy), and
    the order task checks that the user still exists."""
    value = session.get("_user_id")  # where Flask-Login's login_user() keeps it
    return int(value) if isinstance(value, str) and value.isdigit() else None


class LazyMigrateGroup(click.Group):
    """`flask db ...`: Flask-Migrate's own command group, imported only when it is used.

    Flask-Migrate imports Alembic, about 11 MB in every process that loads it, so web workers
    never import it (bench/homepage_costs.py). `migrations_dir` and `bind` come from
    webapp.database, which owns the migrations."""

    def __init__(self, *args, bind, **kwargs):
        super().__init__(*args, **kwargs)
        self.bind = bind

    def _group(self, ctx):
        from flask_migrate.cli import db as flask_migrate_group

        self.bind(ctx.ensure_object(ScriptInfo).load_app())
        return flask_migrate_group

    def list_commands(self, ctx):
        return self._group(ctx).list_commands(ctx)

    def get_command(self, ctx, name):
        return self._group(ctx).get_command(ctx, name)


def lazy_migrate_group(migrations_dir, bind):
    """The `flask db` group, loading Flask-Migrate on first use through `bind(app)`."""

    @click.group("db", cls=LazyMigrateGroup, bind=bind)
    @click.option("-x", "--x-arg", multiple=True, help="Additional arguments for env.py.")
    @with_appcontext
    def db_cli(x_arg):
        """Database migrations (Flask-Migrate)."""
        g.directory = str(migrations_dir)  # what Flask-Migrate's own group callback sets
        g.x_arg = x_arg

    return db_cli


def install(app, limiter):
    """Put the speed-ups in place; call once the blueprints are registered."""
    app.session_interface = CookieSessionInterface()
    confine_limiter_hooks(app, limiter)
    app.context_processor(visitor_context)

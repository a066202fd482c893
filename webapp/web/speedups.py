"""The optional speed-ups: each makes a request cheaper by leaning on a library's internals,
and the site would work the same without it (slower). What each buys, measured, is in
docs/benchmarks.md ("The speed-ups"). Each was checked against the versions in CHECKED_AGAINST,
and `tests/web/test_speedups.py` fails loudly when an upgrade changes a version or breaks the
behaviour a speed-up relies on: re-check it then.

| speed-up | leans on |
|---|---|
| `confine_limiter_hooks` | Flask-Limiter's hook functions, `_marked_for_limiting` |
| `visitor_context` | Flask-Login keeps a login only in the session or remember cookie |
| `CookieSessionInterface` | Flask's `SecureCookieSessionInterface` |
"""

from functools import partial

from flask import get_flashed_messages, has_request_context
from flask.sessions import SecureCookieSessionInterface
from flask_limiter.util import get_qualified_name
from flask_login import current_user

from webapp.extensions import login_manager
from webapp.web.sessions import without_session_cookie

#: The versions each speed-up was checked against (tests/web/test_speedups.py compares them).
CHECKED_AGAINST = {
    "Flask": "3.1.3",
    "Flask-Login": "0.6.3",
    "Flask-Limiter": "4.1.1",
}


# Flask-Limiter registers a before_request check, an after_request (X-RateLimit-* headers) and
# a teardown for every request of the app, a page with no limit included. This site declares
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


def install(app, limiter):
    """Put the speed-ups in place; call once the blueprints are registered."""
    app.session_interface = CookieSessionInterface()
    confine_limiter_hooks(app, limiter)
    app.context_processor(visitor_context)

"""Run Flask-Limiter's per-request hooks only where this site declares a limit.

Flask-Limiter hooks every request of the app (a before_request check, an after_request that
adds the X-RateLimit-* headers, a teardown), about 70 µs of CPU each time: the largest extension
cost of the homepage, which has no limit. This site declares its limits on views
(`@limiter.limit` on the SMS endpoints) and those are checked by the decorator itself; the
app-wide hooks only matter for default, application or meta limits, which it has none of. So
the hooks are moved onto the blueprints that hold a limited view: headers and checks there are
unchanged, and every other request skips them. A limit added to any blueprint's view later
gets the hooks automatically; configured app-wide limits leave the hooks where they are.
"""

from functools import partial

from flask_limiter.util import get_qualified_name

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

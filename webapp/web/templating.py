"""Template filters and globals."""

from functools import lru_cache

from flask import current_app, get_flashed_messages, has_request_context, request, url_for
from flask_login import current_user

from webapp.clock import epoch_ms, local
from webapp.extensions import login_manager


def static_url(filename):
    """`url_for("static", filename=...)`, remembered (see `_remembered_url`)."""
    return _url("static", filename)


def page_url(endpoint):
    """`url_for(endpoint)` for a page that takes no arguments, such as the nav's links,
    remembered (see `_remembered_url`). Full endpoint names only: "auth.login", not ".login"."""
    if endpoint.startswith("."):
        raise ValueError(f"page_url needs a full endpoint name, not {endpoint!r}")
    return _url(endpoint, None)


def _url(endpoint, filename):
    if not has_request_context() or any(current_app.url_default_functions.values()):
        return url_for(endpoint, **({"filename": filename} if filename else {}))
    return _remembered_url(request.script_root, endpoint, filename)


@lru_cache(maxsize=1024)
def _remembered_url(script_root, endpoint, filename):
    """Every page builds the same few URLs (the homepage 10, at ~4.5 µs each with url_for).
    Such a URL depends only on its endpoint, its filename and the mount point (SCRIPT_NAME),
    so it is built once per process. Apps with url_defaults are left to url_for (above)."""
    return url_for(endpoint, **({"filename": filename} if filename else {}))


def image_src(image):
    """A banner or product image: a full URL or absolute path as is, else a file in static/."""
    if image.startswith(("http://", "https://", "/")):
        return image
    return static_url(image)


def visitor_context():
    """`current_user` and `get_flashed_messages` for templates, reading the session only when
    the visitor sent a session (or remember-me) cookie.

    A login and flashed messages live in that cookie; without it there are none. Flask-Login's
    own context processor loads the user on every render anyway (a session-protection hash of
    the client's address and User-Agent, then the session), which the anonymous homepage paid
    on every visit. (This site logs in by session only, with no request loader.) A message
    flashed to a visitor who has no session cookie yet shows on their next page, with the cookie.
    Pages still answer `Vary: Cookie`: the nav does depend on it."""
    if has_request_context():
        cookies, config = request.cookies, current_app.config
        if config["SESSION_COOKIE_NAME"] in cookies or config["REMEMBER_COOKIE_NAME"] in cookies:
            return {"current_user": current_user, "get_flashed_messages": get_flashed_messages}
    return {"current_user": login_manager.anonymous_user(), "get_flashed_messages": _no_messages}


def _no_messages(with_categories=False, category_filter=()):
    return []


def sale_time(moment):
    """A stored (UTC) time for people, in the site's TIMEZONE: 2026-11-27 14:00 UTC."""
    return local(moment).strftime("%Y-%m-%d %H:%M %Z")


def register(app):
    app.add_template_filter(image_src)
    app.add_template_filter(epoch_ms)
    app.add_template_filter(sale_time)
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
    app.jinja_env.globals.update(static_url=static_url, page_url=page_url)
    app.context_processor(visitor_context)

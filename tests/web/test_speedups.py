"""The assumptions webapp/web/speedups.py makes about Flask, Flask-Login and Flask-Limiter. When one of these fails after an upgrade, re-check the speed-up it names."""

from importlib.metadata import version

from webapp.web import speedups
from webapp.web.extensions import limiter


def test_the_libraries_are_the_versions_the_speedups_were_checked_against():
    installed = {name: version(name) for name in speedups.CHECKED_AGAINST}
    assert installed == speedups.CHECKED_AGAINST, (
        "A library under webapp/web/speedups.py changed: re-check each speed-up that leans on it, "
        "then update CHECKED_AGAINST."
    )


def test_flask_limiter_still_records_decorated_views_and_hooks_by_the_limiter(app):
    assert isinstance(limiter._marked_for_limiting, set | dict | frozenset)
    assert speedups.limited_blueprints(app, limiter) == {"auth"}
    app_wide = app.before_request_funcs.get(None, [])
    assert not any(speedups._belongs_to(hook, limiter) for hook in app_wide)
    assert any(speedups._belongs_to(hook, limiter) for hook in app.before_request_funcs["auth"])


def test_flask_login_remembers_users_under_the_cookie_name_the_templates_check(app):
    from flask_login.config import COOKIE_NAME

    assert app.config["REMEMBER_COOKIE_NAME"] == COOKIE_NAME

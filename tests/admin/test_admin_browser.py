"""The admin area in a real browser, against a real gunicorn sharing the tests' Redis and database."""

import re

import pytest

from webapp.auth.models import User
from webapp.extensions import db

pytestmark = pytest.mark.browser


def log_in_as_admin(app, page, live_server):
    """Until the SMS login is in, the browser gets the session cookie the login would set."""
    with app.app_context():
        user = User(phone="+8613800000077", is_admin=True)
        db.session.add(user)
        db.session.commit()
        user_id = user.id
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": str(user_id), "_fresh": True}
    )
    page.context.add_cookies(
        [{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server.url}]
    )


def test_an_admin_edits_a_banner_title_and_the_homepage_shows_it_on_the_next_load(
    app, banners, live_server, page, screenshot_path
):
    log_in_as_admin(app, page, live_server)
    page.goto(live_server.url + "/")
    assert page.locator(".slide.is-active .slide-title").inner_text().startswith("Flash sale")

    page.goto(live_server.url + "/admin/banners/")
    page.click(f'[data-banner-row="{banners[0]}"] a')
    page.fill("#title", "Winter deals, edited in the browser")
    page.click("#save")
    assert "Banner saved" in page.locator(".flash-success").inner_text()
    page.screenshot(path=screenshot_path("admin-banners"))

    page.goto(live_server.url + "/")
    assert page.locator(".slide.is-active .slide-title").inner_text() == "Winter deals, edited in the browser"
    page.screenshot(path=screenshot_path("homepage-after-admin-edit"))


def test_the_dashboard_refreshes_its_figures_without_a_reload(
    app, banners, live_server, page, screenshot_path
):
    log_in_as_admin(app, page, live_server)
    page.goto(live_server.url + "/admin/")
    assert page.locator("svg[data-visits-chart] polyline").count() == 2
    page.evaluate("document.body.dataset.marker = 'same page'")
    # (a locator, not wait_for_function: that evaluates a string, which the site's CSP forbids)
    page.locator("[data-live-status]", has_text=re.compile(r"^Updated")).wait_for(timeout=15000)
    assert page.evaluate("document.body.dataset.marker") == "same page"
    page.screenshot(path=screenshot_path("admin-dashboard"), full_page=True)

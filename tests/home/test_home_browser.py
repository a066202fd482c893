"""The homepage in a real browser, served by a real gunicorn."""

import pytest

from webapp.home.carousel import seed_demo_banners

pytestmark = pytest.mark.browser


def test_carousel_rotates_on_next_and_visits_go_up_on_reload(app, live_server, page, screenshot_path):
    with app.app_context():
        seed_demo_banners()

    page.goto(live_server.url + "/")
    slides = page.locator("[data-banner-id]")
    assert slides.count() == 4
    active = page.locator(".slide.is-active")
    first_id = active.get_attribute("data-banner-id")
    assert active.is_visible()

    page.click("[data-carousel-next]")
    assert active.get_attribute("data-banner-id") != first_id
    assert page.locator(".slide.is-active").count() == 1
    page.screenshot(path=screenshot_path("homepage-carousel"))

    visits = int(page.locator("[data-visits-today]").get_attribute("data-visits-today"))
    page.reload()
    assert int(page.locator("[data-visits-today]").get_attribute("data-visits-today")) == visits + 1


def test_keyboard_moves_the_carousel(app, live_server, page):
    with app.app_context():
        seed_demo_banners()
    page.goto(live_server.url + "/")
    first_id = page.locator(".slide.is-active").get_attribute("data-banner-id")
    page.focus("[data-carousel]")
    page.keyboard.press("ArrowRight")
    assert page.locator(".slide.is-active").get_attribute("data-banner-id") != first_id
    page.keyboard.press("ArrowLeft")
    assert page.locator(".slide.is-active").get_attribute("data-banner-id") == first_id


def test_first_slide_shows_without_javascript(app, live_server, browser):
    with app.app_context():
        seed_demo_banners()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        visible = [s for s in page.locator("[data-banner-id]").all() if s.is_visible()]
        assert len(visible) == 1
        assert not page.locator("[data-carousel-next]").is_visible()
    finally:
        context.close()

"""Every response carries the headers that protect the browser; cookies are Secure in
production; and in a real browser no page of the site breaks its own Content-Security-Policy."""

import pytest

from tests.admin.helpers import png_bytes, upload
from tests.flash_sale.helpers import make_sale
from tests.support import csrf_token
from webapp import create_app
from webapp.extensions import db
from webapp.home.models import Banner
from webapp.web.security import HEADERS


def pages(sale_id, banner_id):
    return [
        "/", "/auth/login", "/flash-sales/", f"/flash-sales/{sale_id}", "/orders", "/admin/",
        "/admin/banners/", "/admin/banners/new", f"/admin/banners/{banner_id}/edit", "/admin/flash-sales/",
        f"/admin/flash-sales/{sale_id}", f"/admin/flash-sales/{sale_id}/edit", "/admin/flash-sales/new",
        "/admin/redis", "/admin/dashboard.json", "/api/banners", "/healthz", "/no-such-page",
    ]  # fmt: skip


def test_every_page_and_answer_carries_the_protective_headers(app, client, admin, banners):
    sale_id = make_sale(app)
    for path in pages(sale_id, banners[0]):
        response = client.get(path)
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (path, name)
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP in development


def test_uploaded_files_are_sandboxed(app, client, admin):
    data = {"csrf_token": csrf_token(client, "/admin/banners/new"), "title": "Pic", "is_active": "y"}
    data["image_file"] = upload(png_bytes())
    client.post("/admin/banners/new", data=data, content_type="multipart/form-data")
    with app.app_context():
        path = db.session.scalar(db.select(Banner.image).where(Banner.title == "Pic"))
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_production_sends_hsts_over_https_and_secure_cookies(settings):
    production = create_app(
        "production", {**settings, "SECRET_KEY": "production-key", "TRUSTED_HOSTS": ["shop.example"]}
    )
    client = production.test_client()
    response = client.get("/", base_url="https://shop.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert all("Secure" in cookie for cookie in response.headers.getlist("Set-Cookie"))
    login_page = client.get("/auth/login", base_url="https://shop.example")
    assert all("Secure" in cookie for cookie in login_page.headers.getlist("Set-Cookie"))
    assert production.config["REMEMBER_COOKIE_SECURE"] is True
    assert "Strict-Transport-Security" not in client.get("/", base_url="http://shop.example").headers


@pytest.mark.browser
def test_no_page_breaks_the_content_security_policy_in_a_browser(app, banners, live_server, page):
    from tests.admin.test_admin_browser import log_in_as_admin

    sale_id = make_sale(app)
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    log_in_as_admin(app, page, live_server)
    for path in pages(sale_id, banners[0]):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    assert violations == []
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.classList.contains('js')")  # js-on.js ran

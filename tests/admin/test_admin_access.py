"""Every /admin page: anonymous visitors go to the login page, other users get a 403."""

import pytest

ARGUMENT_VALUES = {"direction": "up"}


def admin_urls(app):
    """(method, url) for every rule under /admin, with sample values for its arguments."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        values = {name: ARGUMENT_VALUES.get(name, 1) for name in rule.arguments}
        url = adapter.build(rule.endpoint, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, url))
    return found


def test_the_admin_area_has_the_pages_we_expect(app):
    urls = {url for _, url in admin_urls(app)}
    for expected in (
        "/admin/",
        "/admin/dashboard.json",
        "/admin/redis",
        "/admin/banners/",
        "/admin/banners/new",
    ):
        assert expected in urls


def test_anonymous_visitors_are_sent_to_login_from_every_admin_page(app, client):
    app.config["WTF_CSRF_ENABLED"] = False  # reach the guard, not the CSRF check
    for method, url in admin_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/auth/login"), (method, url)


def test_users_without_the_admin_flag_get_403_on_every_admin_page(app, client, login):
    app.config["WTF_CSRF_ENABLED"] = False
    login("+8613800000001", admin=False)
    for method, url in admin_urls(app):
        response = client.open(url, method=method)
        assert response.status_code == 403, (method, url)
        assert b"administrators only" in response.data


@pytest.mark.parametrize("url", ["/admin/", "/admin/banners/", "/admin/banners/new", "/admin/redis"])
def test_admins_see_the_admin_pages(client, login, url):
    login("+8613800000002", admin=True)
    response = client.get(url)
    assert response.status_code == 200
    assert b"admin-nav" in response.data


def test_every_admin_view_is_behind_the_admin_blueprints_guard(app):
    """The guard is a before_request of the `admin` blueprint, which Flask runs for it and every
    blueprint nested in it: an /admin URL served by any other blueprint would skip it."""
    from webapp.admin.views import require_admin

    assert app.before_request_funcs["admin"] == [require_admin]
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin"):
            assert rule.endpoint.startswith("admin."), rule.rule


def test_admin_forms_refuse_posts_without_their_csrf_token(app, client, login, banners):
    login("+8613800000003", admin=True)
    for url in [
        f"/admin/banners/{banners[0]}/delete",
        f"/admin/banners/{banners[0]}/toggle",
        "/admin/banners/new",
    ]:
        response = client.post(url, data={"title": "x"})
        assert response.status_code == 400
        assert b"security token" in response.data
    assert client.get("/").status_code == 200
    assert b"Flash sale: noise-cancelling headphones" in client.get("/").data

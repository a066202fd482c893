"""Template helpers: static URLs, banner image sources."""

from flask import url_for

from webapp.web.templating import image_src, static_url


def test_static_urls_are_those_url_for_gives(app):
    with app.test_request_context("/"):
        assert (
            static_url("css/site.css") == url_for("static", filename="css/site.css") == "/static/css/site.css"
        )
        assert static_url("img/a b.svg") == url_for("static", filename="img/a b.svg")


def test_static_and_page_urls_follow_the_mount_point(client):
    mounted = client.get("/", base_url="http://localhost/shop/").get_data(as_text=True)
    assert 'href="/shop/static/css/site.css"' in mounted and 'src="/shop/static/js/carousel.js"' in mounted
    assert 'href="/shop/auth/login"' in mounted and 'class="brand" href="/shop/"' in mounted
    plain = client.get("/").get_data(as_text=True)
    assert 'href="/static/css/site.css"' in plain and "/shop/" not in plain


def test_banner_images_in_static_or_elsewhere(app):
    with app.test_request_context("/"):
        assert image_src("img/banners/1.svg") == "/static/img/banners/1.svg"
        assert image_src("https://cdn.example/x.png") == "https://cdn.example/x.png"
        assert image_src("/uploads/x.png") == "/uploads/x.png"


def test_with_url_defaults_static_urls_are_built_by_url_for(app):
    app.url_defaults(lambda endpoint, values: values.setdefault("lang", "fr"))
    with app.test_request_context("/"):
        assert static_url("css/site.css") == "/static/css/site.css?lang=fr"


def test_times_are_shown_in_the_site_timezone_with_the_full_value_in_the_title(app):
    from datetime import UTC, datetime, timedelta

    from webapp.clock import utcnow
    from webapp.web.templating import when

    app.config["TIMEZONE"] = "Asia/Shanghai"
    with app.app_context():
        moment = utcnow() - timedelta(seconds=8.2)
        shown = str(when(moment))
        local = moment.astimezone(UTC) + timedelta(hours=8)
        assert f">{local:%H:%M:%S} (8 s ago)</time>" in shown
        assert f'title="{local:%Y-%m-%d %H:%M:%S.%f} CST"' in shown
        assert f'datetime="{moment.isoformat()}"' in shown
        assert "in 52 s" in str(when((utcnow() + timedelta(seconds=52.4)).isoformat()))
        assert ">2026-01-02 04:00:00 (" in str(when(datetime(2026, 1, 1, 20, 0, tzinfo=UTC)))
        assert when(None) == "—"


def test_the_dashboard_shows_no_raw_timestamps(app, client, admin):
    from webapp.home.carousel import banner_list

    with app.app_context():
        banner_list.rebuild()
    page = client.get("/admin/").get_data(as_text=True)
    last_rebuild = page.split("Last rebuild</dt>", 1)[1].split("</dd>", 1)[0]
    assert "<time datetime=" in last_rebuild and "ago)" in last_rebuild
    assert "T" not in last_rebuild.split(">", 2)[2]  # the text a person reads has no ISO 'T'

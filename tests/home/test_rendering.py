"""The homepage rendered once per version of what it shows, counters written in per request."""

import re
from contextlib import contextmanager

from flask import template_rendered

from webapp.extensions import db
from webapp.home.carousel import save_banner
from webapp.home.models import Banner
from webapp.stats import rankings


@contextmanager
def renders_of(app, name="home/index.html"):
    """Counts the times Jinja renders the template `name` while the block runs."""
    count = {"n": 0}

    def on_render(sender, template, context, **extra):
        count["n"] += template.name == name

    template_rendered.connect(on_render, app)
    try:
        yield count
    finally:
        template_rendered.disconnect(on_render, app)


def visits_today(response):
    return int(re.search(rb'data-visits-today="(\d+)"', response.data).group(1))


def test_anonymous_homepage_is_rendered_once_and_counts_every_visit(app, client, banners):
    with renders_of(app) as renders:
        counts = [visits_today(client.get("/")) for _ in range(5)]
    assert renders["n"] == 1
    assert counts == [1, 2, 3, 4, 5]  # the counters are exact on every request


def test_a_banner_edit_renders_the_homepage_anew(app, client, banners):
    client.get("/")
    with app.app_context():
        banner = db.session.get(Banner, banners[0])
        banner.title = "Edited <b>title</b>"
        save_banner(banner)
    with renders_of(app) as renders:
        page = client.get("/").get_data(as_text=True)
        client.get("/")
    assert "Edited &lt;b&gt;title&lt;/b&gt;" in page  # escaped, as the template always did
    assert renders["n"] == 1


def test_a_new_hot_banner_renders_the_homepage_anew(app, client, banners):
    assert "data-hot" not in client.get("/").get_data(as_text=True)
    with app.test_request_context():
        rankings.record_banner_click(banners[2], "visitor-a")
    page = client.get("/").get_data(as_text=True)
    hot_slide = re.search(rf'data-banner-id="{banners[2]}".*?</article>', page, re.S).group(0)
    assert "data-hot" in hot_slide


def test_a_logged_in_visitor_gets_a_page_of_their_own_never_kept_for_others(app, client, banners, login):
    anonymous = app.test_client()
    anonymous.get("/")
    login("+8613800000077")
    with renders_of(app) as renders:
        mine = [client.get("/").get_data(as_text=True) for _ in range(2)]
        theirs = anonymous.get("/").get_data(as_text=True)
    assert renders["n"] == 2  # each of the logged-in visitor's pages; the anonymous one was kept
    log_in, log_out = ">Log in</a>", ">Log out</button>"  # the nav's (a banner title says "Log in" too)
    assert all(log_out in page and log_in not in page for page in mine)
    assert log_in in theirs and log_out not in theirs and "0077" not in theirs


def test_the_anonymous_page_says_it_varies_with_the_cookie(client, banners):
    client.get("/")
    assert client.get("/").headers["Vary"] == "Cookie"

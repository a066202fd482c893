"""Pages rendered once per key, with holes filled per request (webapp/web/prerender.py)."""

from flask import render_template_string, session

from webapp.web import prerender
from webapp.web.prerender import Hole, Prerendered, prerendered


def test_holes_are_filled_escaped_in_page_order(app):
    with app.test_request_context("/"):
        html = render_template_string(
            "<p>{{ a }} and {{ b }}, {{ a }} again &amp; <b>{{ title }}</b></p>",
            a=Hole("a"),
            b=Hole("b"),
            title="<i>x</i>",
        )
    page = Prerendered(html)
    assert page.fill({"a": 1, "b": "<script>"}) == (
        "<p>1 and &lt;script&gt;, 1 again &amp; <b>&lt;i&gt;x&lt;/i&gt;</b></p>"
    )
    assert page.fill({"a": 2, "b": 3}) == "<p>2 and 3, 2 again &amp; <b>&lt;i&gt;x&lt;/i&gt;</b></p>"


def test_a_page_is_rendered_once_per_key(app):
    calls = []

    def render():
        calls.append(1)
        return f"<p>{Hole('n')}</p>"

    with app.test_request_context("/"):
        for n in range(3):
            assert prerendered("k", render).fill({"n": n}) == f"<p>{n}</p>"
        prerendered("other", render)
    assert len(calls) == 2


def test_the_store_is_bounded(app):
    with app.test_request_context("/"):
        for version in range(prerender.MAX_PAGES * 3):
            prerendered(version, lambda: "<p></p>")
            assert len(app.extensions["prerendered"]) <= prerender.MAX_PAGES
        assert len(app.extensions["prerendered"]) >= 1


def test_a_page_that_wrote_to_the_session_is_not_kept(app):
    calls = []

    def render():
        calls.append(1)
        session["csrf_token"] = "personal"
        return "<p>personal</p>"

    for _ in range(2):
        with app.test_request_context("/"):
            prerendered("form", render)
    assert len(calls) == 2


def test_each_app_keeps_its_own_pages(app, settings):
    from webapp import create_app

    other = create_app("testing", settings)
    with app.test_request_context("/"):
        prerendered("k", lambda: "<p>one</p>")
    with other.test_request_context("/"):
        assert prerendered("k", lambda: "<p>two</p>").fill({}) == "<p>two</p>"

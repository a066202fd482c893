"""The homepage's HTML. What an anonymous visitor sees changes only with the banner list and
the "hot" set, so that page is rendered once per version of the two (web.prerender) and each
request only writes its counters into it. A visitor with a session (logged in, or with a
message flashed to them) gets the page rendered for them, as every other page is."""

from flask import render_template

from webapp.stats.visits import VisitCounts
from webapp.web.prerender import Hole, prerendered
from webapp.web.speedups import without_session_cookie

TEMPLATE = "home/index.html"
COUNTER_HOLES = VisitCounts(total=Hole("total"), today=Hole("today"), visitors_today=Hole("visitors_today"))


def homepage_html(page):
    if page.counts is None or not without_session_cookie():
        return render_template(TEMPLATE, banners=page.banners, counts=page.counts, hot=page.hot)
    shared = prerendered(
        (TEMPLATE, page.banners_json, page.hot),
        lambda: render_template(TEMPLATE, banners=page.banners, counts=COUNTER_HOLES, hot=page.hot),
    )
    counts = page.counts
    return shared.fill(
        {"total": counts.total, "today": counts.today, "visitors_today": counts.visitors_today}
    )

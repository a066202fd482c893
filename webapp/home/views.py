from flask import Blueprint, make_response, render_template, request

from webapp.home import visits
from webapp.home.health import health_report
from webapp.home.page import load_homepage

bp = Blueprint("home", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def index():
    visitor_id = request.cookies.get(visits.VISITOR_COOKIE, "")
    known_visitor = visits.is_visitor_id(visitor_id)
    if not known_visitor:
        visitor_id = visits.new_visitor_id()
    page = load_homepage(visitor_id)
    response = make_response(render_template("home/index.html", banners=page.banners, counts=page.counts))
    if not known_visitor:
        response.set_cookie(
            visits.VISITOR_COOKIE, visitor_id, max_age=ONE_YEAR, httponly=True, samesite="Lax"
        )
    return response


@bp.get("/healthz")
def healthz():
    report, healthy = health_report()
    return report, 200 if healthy else 503

from flask import Blueprint, current_app, make_response, redirect, request

from webapp.clock import ONE_YEAR
from webapp.home.carousel import get_banner
from webapp.home.errors import BannerLinksNowhere
from webapp.home.page import load_homepage
from webapp.home.rendering import homepage_html
from webapp.stats import rankings, visits
from webapp.web.clients import requester_key
from webapp.web.links import is_safe_link

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    visitor_id = request.cookies.get(visits.VISITOR_COOKIE, "")
    known_visitor = visits.is_visitor_id(visitor_id)
    if not known_visitor:
        visitor_id = visits.new_visitor_id()
    page = load_homepage(visitor_id)
    response = make_response(homepage_html(page))
    response.vary.add("Cookie")  # the nav shows who is logged in
    if not known_visitor:
        secure = current_app.config["SESSION_COOKIE_SECURE"]
        response.set_cookie(
            visits.VISITOR_COOKIE, visitor_id, max_age=ONE_YEAR, httponly=True, samesite="Lax", secure=secure
        )
    return response


@bp.get("/b/<id:banner_id>")
def banner_click(banner_id):
    """Count a click on a banner and send the visitor to its stored link. Only the banner's
    own link, and only a safe one (never an address taken from the request)."""
    banner = get_banner(banner_id)
    if not is_safe_link(banner.link_url):
        raise BannerLinksNowhere()
    rankings.record_banner_click(banner.id, requester_key())
    return redirect(banner.link_url, code=303)

"""How errors are answered: styled HTML for people, JSON for API clients; never a traceback.
The errors themselves are each feature's (`UserError` subclasses in its errors.py)."""

import contextlib
import logging

from flask import current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from webapp.database import DatabaseUnavailable
from webapp.errors import UserError
from webapp.extensions import db
from webapp.redis import RedisUnavailable

log = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood. Check what you sent and try again.",
    401: "Please log in to continue.",
    403: "You do not have permission to see this page.",
    404: "We could not find that page.",
    405: "That action is not allowed here.",
    413: "What you sent is too large.",
    429: "Too many requests. Please wait a little and try again.",
    500: "Something went wrong on our side. Please try again later.",
    503: "The service is temporarily unavailable. Please try again in a moment.",
}


def wants_json():
    """JSON for the blueprints that answer only JSON (`bp.answers_json = True`: the API, the
    operations endpoints), for JSON requests, and for clients that prefer it; else HTML."""
    if request.is_json or getattr(_blueprint_of_request(), "answers_json", False):
        return True
    accept = request.accept_mimetypes
    return accept["application/json"] > accept["text/html"]


def _blueprint_of_request():
    """The request's blueprint; for a URL no rule matched (a 404), the one whose prefix it has."""
    if request.blueprint:
        return current_app.blueprints.get(request.blueprint.partition(".")[0])
    for blueprint in current_app.blueprints.values():
        if blueprint.url_prefix and request.path.startswith(blueprint.url_prefix + "/"):
            return blueprint
    return None


def error_response(code, message, headers=None):
    if wants_json():
        response = make_response(jsonify(error=code, message=message), code)
    else:
        response = make_response(render_template("errors/error.html", code=code, message=message), code)
    if headers:
        response.headers.update(headers)
    return response


def handle_http_error(error):
    code = error.code or 500
    message = error.description if _has_own_description(error) else MESSAGES.get(code, error.name)
    headers = {k: v for k, v in error.get_headers() if k.lower() in {"retry-after", "allow"}}
    return error_response(code, message, headers)


def _has_own_description(error):
    return type(error).description != error.description


def handle_untrusted_host(error):
    """A Host header the site does not answer to (TRUSTED_HOSTS). No URL of the site can be
    built for such a request, so the styled page (its links, its stylesheet) cannot be either:
    a plain 400 instead."""
    return make_response(f"{MESSAGES[400]}\n", 400, {"Content-Type": "text/plain; charset=utf-8"})


def handle_user_error(error):
    return error_response(error.status, str(error), error.headers)


DATABASE_DOWN = "Our database is unavailable for a moment. Please try again shortly."


def handle_database_down(error):
    """The database went away (a restart, a failover, a network blip): 503 with a sentence,
    never a traceback. Its pool checks connections before use, so the next request after it
    is back simply works."""
    log.warning("Database unavailable: %s", error.orig if hasattr(error, "orig") else error)
    with contextlib.suppress(*DatabaseUnavailable):
        db.session.rollback()
    return error_response(503, DATABASE_DOWN, {"Retry-After": "5"})


def handle_redis_down(error):
    log.warning("Redis unavailable: %s", error)
    return error_response(503, MESSAGES[503], {"Retry-After": "5"})


def handle_unexpected(error):
    log.exception("Unhandled error", exc_info=error)
    return error_response(500, MESSAGES[500])


def register(app):
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(UserError, handle_user_error)
    for error in RedisUnavailable:
        app.register_error_handler(error, handle_redis_down)
    for error in DatabaseUnavailable:
        app.register_error_handler(error, handle_database_down)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)

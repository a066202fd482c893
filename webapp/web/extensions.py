"""The extensions only the web app uses, created unbound and bound in `create_app`: CSRF
protection and rate limits, with how their refusals are answered.

They live apart from `webapp.extensions` so that the Celery worker and beat, which build the
app without its web layer, never import Flask-WTF or Flask-Limiter (with what they pull in,
docs/benchmarks.md says how much that saves in every worker process).
"""

import math
import time

from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect
from flask_wtf.csrf import CSRFError

from webapp.web.errors import MESSAGES, error_response

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


def init_app(app):
    # The rate limiter shares the app's pool (which follows a Sentinel master), and with it the
    # short timeouts: a dead or stalled Redis fails the limit check within a second (answered
    # 503), never hangs it. The URI only picks Flask-Limiter's Redis storage.
    app.config["RATELIMIT_STORAGE_URI"] = "redis://"
    app.config["RATELIMIT_STORAGE_OPTIONS"] = {"connection_pool": app.extensions["redis"].connection_pool}
    csrf.init_app(app)
    limiter.init_app(app)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(RateLimitExceeded, handle_rate_limited)


def handle_rate_limited(error):
    """A Flask-Limiter 429: its error_message if the limit has one, and when to come back."""
    message = error.description if error.limit.error_message else MESSAGES[429]
    current = limiter.current_limit
    retry_after = max(1, math.ceil(current.reset_at - time.time())) if current else 60
    return error_response(429, message, {"Retry-After": str(retry_after)})


def handle_csrf_error(error):
    return error_response(
        400,
        "This form has expired or is missing its security token. Reload the page and try again.",
    )

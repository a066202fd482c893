"""GET /auth/login, POST /auth/sms-code, POST /auth/login, POST /auth/logout.

Thin: parse the form, call codes/delivery/session, answer. JSON for fetch() callers,
pages and redirects for plain form posts (the page works without JavaScript)."""

import math
import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from webapp.auth import codes
from webapp.auth import session as auth_session
from webapp.auth.delivery import request_code
from webapp.auth.errors import CodeError, SendFailed
from webapp.auth.forms import LoginForm, SendCodeForm, first_error
from webapp.auth.masking import mask_phone
from webapp.auth.users import get_or_create_user
from webapp.ops import workers
from webapp.ops.task_status import remember_task
from webapp.redis import RedisUnavailable
from webapp.web.clients import requester_key
from webapp.web.errors import error_response, wants_json
from webapp.web.extensions import limiter
from webapp.web.links import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")

PENDING_LOGIN = "login_ref"  # session: where Redis keeps the number the last code went to
RESEND_AT = "login_resend_at"  # session: when the page may offer "Send code" again

UNAVAILABLE = "Login by SMS code is unavailable for a moment. Please try again in a minute."
DELAYED = (
    "Codes are delayed right now: our sending service is catching up. Your code will arrive "
    "late; if it has not come in a few minutes, ask for a new one."
)


def _ip_limit(setting):
    return lambda: f"{current_app.config[setting]} per hour"


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return _login_page(SendCodeForm(), LoginForm())


@bp.post("/sms-code")
@limiter.limit(
    _ip_limit("SMS_IP_HOURLY_LIMIT"),
    error_message="Too many codes were requested from your network. Please try again later.",
)
def send_code():
    form = SendCodeForm()
    if not form.validate():
        return _refuse(400, first_error(form), send_form=form)
    phone = form.phone.e164
    try:
        issued, task_id = request_code(phone, requester_key())
    except (CodeError, SendFailed) as error:
        return _refuse(error.status, str(error), send_form=form, headers=error.headers)

    remember_task(task_id)
    session[PENDING_LOGIN] = codes.remember_pending_login(phone, session.get(PENDING_LOGIN))
    session[RESEND_AT] = time.time() + issued.resend_in
    # The task is queued either way (a worker may be back in seconds), but a page never says
    # "sent" when no worker is alive to send it.
    delayed = workers.any_alive() is False
    if wants_json():
        status_url = url_for("ops.task_status", task_id=task_id)
        body = {
            "task_id": task_id,
            "status_url": status_url,
            "resend_in": issued.resend_in,
            "to": mask_phone(phone),
        }
        return {**body, "delayed": delayed, **({"message": DELAYED} if delayed else {})}, 202
    if delayed:
        flash(DELAYED, "error")
    flash(f"We are sending a code to {mask_phone(phone)}. Enter it below.", "success")
    return redirect(url_for(".login", next=safe_next(form.next.data)), code=303)


@bp.post("/login")
@limiter.limit(
    _ip_limit("SMS_LOGIN_IP_HOURLY_LIMIT"),
    error_message="Too many login attempts from your network. Please try again later.",
)
def check_code():
    form = LoginForm()
    if not form.validate():
        return _refuse(400, first_error(form), login_form=form)
    phone = form.phone.e164
    try:
        codes.verify_code(phone, form.code.data)
    except CodeError as error:
        return _refuse(error.status, str(error), login_form=form)
    user, _ = get_or_create_user(phone)
    auth_session.start_session(user)
    target = safe_next(form.next.data) or url_for("home.index")
    if wants_json():
        return {"logged_in": True, "next": target}
    flash(f"You are logged in as {user.masked_phone}.", "success")
    return redirect(target, code=303)


@bp.post("/logout")
def logout():
    auth_session.end_session()
    flash("You are logged out.", "success")
    return redirect(url_for("home.index"), code=303)


def _refuse(status, message, send_form=None, login_form=None, headers=None):
    """A 4xx/5xx: JSON {"error", "message"} for fetch(), the login page with the message otherwise."""
    if wants_json():
        return error_response(status, message, headers)
    send_form, login_form = send_form or SendCodeForm(), login_form or LoginForm()
    if not any(message in field.errors for form in (send_form, login_form) for field in form):
        flash(message, "error")  # a field's own error is shown beside the field instead
    return _login_page(send_form, login_form), status, headers or {}


def _login_page(send_form, login_form):
    pending = codes.pending_login(session.get(PENDING_LOGIN))
    if pending and not login_form.phone.data:
        login_form.phone.data = pending
    send_form.next.data = login_form.next.data = safe_next(
        send_form.next.data or login_form.next.data or request.args.get("next", "")
    )
    resend_in = max(0, round(session.get(RESEND_AT, 0) - time.time()))
    return render_template(
        "auth/login.html",
        send_form=send_form,
        login_form=login_form,
        delayed=DELAYED if workers.any_alive() is False else None,
        pending=mask_phone(pending) if pending else None,
        resend_in=resend_in,
        code_minutes=math.ceil(current_app.config["SMS_CODE_TTL"] / 60),
    )


@bp.errorhandler(RedisUnavailable[0])
@bp.errorhandler(RedisUnavailable[1])
def redis_down(error):
    """Redis holds the codes and the rate limits: without it, say so at once (503)."""
    current_app.logger.warning("Redis unavailable during SMS login: %s", error)
    return error_response(503, UNAVAILABLE, {"Retry-After": "5"})

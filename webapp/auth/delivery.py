"""Getting a code to the phone: the web side issues it and enqueues the send task; the worker
side turns the task's (phone, nonce) back into the code and hands the text to the backend."""

import logging
import math

from flask import current_app

from webapp import jobs
from webapp.auth import codes
from webapp.auth.errors import CodeNotCurrent, SendFailed
from webapp.auth.masking import mask_phone
from webapp.auth.sms import backend_from_config
from webapp.redis import RedisUnavailable

log = logging.getLogger(__name__)


def message_text(code):
    minutes = math.ceil(current_app.config["SMS_CODE_TTL"] / 60)
    unit = "minute" if minutes == 1 else "minutes"
    site = current_app.config["SITE_NAME"]
    return f"{site}: your login code is {code}. It expires in {minutes} {unit}. Never share it."


def request_code(phone, requester=""):
    """Issue a code for `phone` and enqueue its sending; returns (IssuedCode, task id).

    Raises CooldownActive / DailyQuotaReached (nothing done) or SendFailed (the broker refused
    the task: the code is withdrawn, so nothing is left behind as if it had been sent)."""
    issued = codes.issue_code(phone, requester)
    try:
        task_id = _publish(phone, issued.nonce)
    except jobs.PublishFailed as error:
        log.error("Could not enqueue the SMS to %s: %s", mask_phone(phone), error)
        _withdraw(issued)
        raise SendFailed() from error
    return issued, task_id


def _publish(phone, nonce):
    # argsrepr: what the worker logs as the task's arguments (no full phone, no nonce).
    result = jobs.send_task(jobs.SEND_SMS_CODE, (phone, nonce), argsrepr=repr((mask_phone(phone),)))
    return result.id


def _withdraw(issued):
    try:
        codes.withdraw_code(issued)
    except RedisUnavailable as error:
        # The code then dies with its TTL; it was never sent, so nobody can know it.
        log.warning("Could not withdraw the unsent code for %s: %s", mask_phone(issued.phone), error)


def deliver_code(phone, nonce):
    """Send the code that `nonce` stands for, if it is still the phone's live code (run by
    the worker; raises SmsTransient to be retried, SmsRejected to fail for good)."""
    if not codes.is_current(phone, nonce):
        raise CodeNotCurrent()
    backend = backend_from_config(current_app.config)
    backend.send(phone, message_text(codes.code_for(phone, nonce)))
    log.info("Login code sent to %s", mask_phone(phone))
    return {"sent": True, "to": mask_phone(phone)}

"""Sending login codes by SMS."""

from celery import shared_task

from webapp import jobs
from webapp.auth.delivery import deliver_code
from webapp.auth.errors import SmsTransient


@shared_task(
    name=jobs.SEND_SMS_CODE,
    autoretry_for=(SmsTransient,),
    retry_backoff=2,  # 2, 4, 8, 16, 32 s before the retries ...
    retry_backoff_max=60,
    retry_jitter=True,  # ... each drawn at random from [0, that] so retries do not stampede
    max_retries=5,
)
def send_sms_code(phone, nonce):
    """Text `phone` the login code that `nonce` stands for.

    What crosses the broker (and is kept in the result backend, with result_extended) is the
    phone and a random nonce, never the code: the worker derives the code from the nonce with
    SECRET_KEY (see webapp.auth.codes). The result is {"sent": True, "to": masked phone}."""
    return deliver_code(phone, nonce)

"""One-time login codes: issued under a cooldown and a daily quota, stored only as a keyed
hash, checked by one atomic script, single use, dead after SMS_MAX_ATTEMPTS wrong tries.

How a code travels without ever being written down in plaintext:
- `issue_code` draws a 128-bit nonce from `secrets`; the code is HMAC-SHA256(SECRET_KEY,
  phone | nonce) reduced to 6 digits. Without SECRET_KEY the nonce says nothing about the
  code, so only the nonce crosses the Celery broker and sits in the result backend.
- Redis stores the verifier HMAC-SHA256(SECRET_KEY, phone | code). A plain hash of a 6-digit
  code would fall to a million guesses; a keyed one needs SECRET_KEY, which never enters Redis.
  The phone is in both, so a code only ever matches the number it was sent to.
- The worker re-derives the code from (phone, nonce) just before sending it.
Anyone holding SECRET_KEY could forge a session cookie anyway, so this adds no weaker link.
"""

import contextlib
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass

from flask import current_app

from webapp.auth import keys, scripts
from webapp.auth.errors import (
    CodeExpired,
    CodeInvalid,
    CooldownActive,
    DailyQuotaReached,
    SendingPaused,
    TooManyAttempts,
)
from webapp.clock import utcnow
from webapp.extensions import redis_client
from webapp.redis import RedisUnavailable
from webapp.settings import secret_key

CODE_DIGITS = 6
DAILY_WINDOW_SECONDS = 24 * 3600


@dataclass(frozen=True)
class IssuedCode:
    phone: str
    nonce: str
    verifier: str
    resend_in: int
    requester: str = ""

    @property
    def keys(self):
        """The code's keys, as ISSUE and WITHDRAW take them."""
        return code_keys(self.phone, self.requester)


def code_keys(phone, requester):
    return [
        keys.code(phone),
        keys.cooldown(phone, requester),
        keys.daily(phone, requester),
        keys.budget(utcnow().date()),
    ]


def _hmac(purpose, *parts):
    return hmac.new(secret_key(), "|".join((purpose, *parts)).encode(), hashlib.sha256)


def code_for(phone, nonce):
    """The 6-digit code a nonce stands for (64 bits reduced mod 10**6: bias below 1e-13)."""
    number = int.from_bytes(_hmac("sms-code", phone, nonce).digest()[:8], "big")
    return f"{number % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def verifier_for(phone, code):
    """What Redis keeps instead of the code."""
    return _hmac("sms-verifier", phone, code).hexdigest()


def _seconds(milliseconds, fallback):
    return math.ceil(milliseconds / 1000) if milliseconds > 0 else fallback


def issue_code(phone, requester=""):
    """Store a new code for `phone` (replacing any older one) and return what the sender needs.
    The cooldown and the daily quota are per `requester` (web.clients.requester_key), so
    nobody can spend or block a phone's codes from another address; the site's daily budget
    bounds what all requesters together can make it send.

    Raises CooldownActive, DailyQuotaReached or SendingPaused (with `retry_after` seconds)."""
    config = current_app.config
    nonce = secrets.token_hex(16)
    verifier = verifier_for(phone, code_for(phone, nonce))
    outcome, value = scripts.ISSUE(
        keys=code_keys(phone, requester),
        args=[
            verifier,
            config["SMS_CODE_TTL"],
            config["SMS_RESEND_SECONDS"],
            config["SMS_DAILY_LIMIT"],
            DAILY_WINDOW_SECONDS,
            config["SMS_DAILY_BUDGET"],
        ],
    )
    if outcome == 1:
        raise CooldownActive(_seconds(value, config["SMS_RESEND_SECONDS"]))
    if outcome == 2:
        raise DailyQuotaReached(_seconds(value, DAILY_WINDOW_SECONDS))
    if outcome == 3:
        raise SendingPaused(min(_seconds(value, 3600), 3600))
    return IssuedCode(phone, nonce, verifier, config["SMS_RESEND_SECONDS"], requester)


def withdraw_code(issued):
    """Undo `issue_code` for a code that could not be handed to the broker: nothing was sent,
    so neither the code nor its cooldown nor its place in the quota should remain."""
    return bool(scripts.WITHDRAW(keys=issued.keys, args=[issued.verifier]))


def is_current(phone, nonce):
    """Whether the nonce's code is still the phone's live code (the worker asks before
    sending, so a retry never texts a code that expired, was used or was replaced)."""
    stored = redis_client.hget(keys.code(phone), "verifier")
    expected = verifier_for(phone, code_for(phone, nonce)).encode()
    return stored is not None and hmac.compare_digest(stored, expected)


def verify_code(phone, code):
    """Accept `code` for `phone` once, or raise CodeExpired, CodeInvalid or TooManyAttempts.

    One Lua script counts the attempt, compares and consumes, so racing requests cannot get
    more than SMS_MAX_ATTEMPTS guesses at one code, and only one of them can use it."""
    outcome = scripts.VERIFY(
        keys=[keys.code(phone)], args=[verifier_for(phone, code), current_app.config["SMS_MAX_ATTEMPTS"]]
    )
    if outcome == 0:
        return
    if outcome == -1:
        raise CodeExpired()
    if outcome == -2:
        raise TooManyAttempts()
    raise CodeInvalid(outcome)


def remember_pending_login(phone, ref=None):
    """Keep the phone a code was sent to for the login page, for the code's lifetime, under a
    random reference (returned, for the session). Redis down: the page just asks again."""
    ref = ref if isinstance(ref, str) and len(ref) == 32 else secrets.token_hex(16)
    with contextlib.suppress(*RedisUnavailable):
        redis_client.set(keys.pending_login(ref), phone, ex=current_app.config["SMS_CODE_TTL"])
    return ref


def pending_login(ref):
    """The phone of the login in progress under `ref`, or None."""
    if not (isinstance(ref, str) and len(ref) == 32):
        return None
    try:
        phone = redis_client.get(keys.pending_login(ref))
    except RedisUnavailable:
        return None
    return phone.decode() if phone else None

"""Every Redis key of the SMS-code login, built in this one place.

Keys are named by the E.164 phone so that an operator can find (and delete) a number's state;
they never hold the code itself, only its keyed hash.
"""

PREFIX = "auth:sms"


def code(phone):
    """Hash {verifier, attempts} of the phone's current code; expires after SMS_CODE_TTL."""
    return f"{PREFIX}:code:{phone}"


def cooldown(phone):
    """Present while the phone must wait before another code (SMS_RESEND_SECONDS)."""
    return f"{PREFIX}:cooldown:{phone}"


def daily(phone):
    """Codes sent to the phone in the current 24-hour window (SMS_DAILY_LIMIT)."""
    return f"{PREFIX}:daily:{phone}"

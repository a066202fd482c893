"""Every Redis key of the SMS-code login, built in this one place.

Keys are named by the E.164 phone so that an operator can find (and delete) a number's state;
they never hold the code itself, only its keyed hash.
"""

PREFIX = "auth:sms"


def code(phone):
    """Hash {verifier, attempts} of the phone's current code; expires after SMS_CODE_TTL."""
    return f"{PREFIX}:code:{phone}"


def cooldown(phone, requester=""):
    """Present while this requester must wait before another code to the phone
    (SMS_RESEND_SECONDS). Per requester, so nobody else can keep the owner waiting."""
    return f"{PREFIX}:cooldown:{phone}:{requester}"


def daily(phone, requester=""):
    """Codes sent to the phone for this requester in the current 24-hour window
    (SMS_DAILY_LIMIT). Per requester, so nobody else can spend the owner's quota."""
    return f"{PREFIX}:daily:{phone}:{requester}"


def budget(day):
    """Codes the whole site sent on `day` (UTC), against SMS_DAILY_BUDGET."""
    return f"{PREFIX}:budget:{day.isoformat()}"


def pending_login(ref):
    """String: the phone a login in progress sent its code to, under a random reference kept
    in the session (the signed, not encrypted, cookie never carries the number)."""
    return f"{PREFIX}:pending:{ref}"


def session_version(user_id):
    """String: the user's session_version, mirrored from the database when it is raised, so the
    Buy click (which loads no user) can refuse a revoked session inside its Lua script."""
    return f"auth:session-version:{user_id}"

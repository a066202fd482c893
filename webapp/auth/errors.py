"""What can go wrong logging in by SMS code, each with the status and sentence a person sees."""

import math

from webapp.errors import UserError


class InvalidPhone(UserError):
    """The input is not a mobile number we can text; `str(error)` says why."""

    message = "That does not look like a phone number. Check it and try again."


class CodeError(UserError):
    """A code could not be issued or accepted."""


class CooldownActive(CodeError):
    status = 429

    def __init__(self, retry_after):
        self.retry_after = retry_after
        super().__init__(
            f"A code was sent to this number moments ago. You can ask for another in {retry_after} s."
        )


class DailyQuotaReached(CodeError):
    status = 429

    def __init__(self, retry_after):
        self.retry_after = retry_after
        hours = max(1, math.ceil(retry_after / 3600))
        super().__init__(
            f"This number has had as many codes as we send in a day. Try again in about {hours} h."
        )


class SendingPaused(CodeError):
    """The site's daily SMS budget is spent (SMS pumping, or a very busy day)."""

    status = 503
    message = "We are not sending login codes for a while. Please try again later."

    def __init__(self, retry_after):
        self.retry_after = retry_after
        super().__init__()


class CodeExpired(CodeError):
    message = "That code has expired or was already used. Ask for a new code."


class CodeInvalid(CodeError):
    def __init__(self, attempts_left):
        self.attempts_left = attempts_left
        tries = "1 more try" if attempts_left == 1 else f"{attempts_left} more tries"
        super().__init__(f"That code is not right. Check the SMS and try again ({tries}).")


class TooManyAttempts(CodeError):
    message = "Too many wrong codes: that code no longer works. Ask for a new code."


class SessionRevoked(UserError):
    status = 401
    message = "You were logged out (here or on another device). Please log in again to buy."


class SendFailed(UserError):
    """The code could not be handed to the sending queue; nothing was sent."""

    status = 503
    retry_after = 30
    message = "We could not send your code just now. Please try again in a minute."


class SmsError(UserError):
    """Sending failed (raised in the worker); `str(error)` is safe to show on the page that
    polls the task, and never contains the message text."""

    status = 503


class SmsTransient(SmsError):
    """A failure that may pass: network trouble, a timeout, the provider's 5xx or 429."""


class SmsRejected(SmsError):
    """A failure that will not pass by retrying: the provider refused the message."""


class CodeNotCurrent(SmsRejected):
    """The worker got to a code that has since expired, been used or been replaced."""

    message = "The code expired before it could be sent. Ask for a new code."

"""Phone numbers: whatever a person types, normalised to E.164 (+8613812345678). How a stored
number is shown is in masking.py, which the worker uses without loading phonenumbers."""

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from webapp.auth.errors import InvalidPhone

#: Longest input worth parsing; "+86 (138) 1234-5678 ext. 99" fits easily.
MAX_INPUT_LENGTH = 32

#: Numbers that can receive an SMS. FIXED_LINE_OR_MOBILE covers regions (US, CA) whose
#: numbering plan does not tell the two apart.
TEXTABLE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalize_phone(raw, region):
    """`raw` as E.164, parsed with `region` (e.g. "CN") as the default country."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhone("Enter your mobile phone number.")
    if len(text) > MAX_INPUT_LENGTH:
        raise InvalidPhone(f"A phone number has at most {MAX_INPUT_LENGTH} characters.")
    if any(char.isalpha() for char in text):
        # phonenumbers would read "1-800-FLOWERS" as digits; a login number never has letters.
        raise InvalidPhone("A phone number has digits only (and +, spaces, dashes or brackets).")
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        raise InvalidPhone() from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(
            "That is not a valid phone number. Numbers from another country need their code, e.g. +44."
        )
    if phonenumbers.number_type(number) not in TEXTABLE:
        raise InvalidPhone("That number cannot receive text messages. Enter a mobile number.")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)

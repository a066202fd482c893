"""The login page's two forms. Length limits come first, so nothing long is ever parsed."""

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, Regexp

from webapp.auth.errors import InvalidPhone
from webapp.auth.phones import MAX_INPUT_LENGTH, normalize_phone
from webapp.web.forms import strip
from webapp.web.links import MAX_LINK_LENGTH


def _digits_only(value):
    """Codes are often typed or pasted as "123 456"."""
    return "".join(value.split()) if isinstance(value, str) else value


class PhoneField(StringField):
    """A phone number, validated and normalised to E.164 into `.e164`."""

    e164 = None

    def pre_validate(self, form):
        if self.data and len(self.data) <= MAX_INPUT_LENGTH:
            try:
                self.e164 = normalize_phone(self.data, current_app.config["SMS_DEFAULT_REGION"])
            except InvalidPhone as error:
                raise ValidationError(str(error)) from None


PHONE_VALIDATORS = [
    DataRequired("Enter your mobile phone number."),
    Length(max=MAX_INPUT_LENGTH, message=f"A phone number has at most {MAX_INPUT_LENGTH} characters."),
]
NEXT_VALIDATORS = [Length(max=MAX_LINK_LENGTH, message="The page to return to is too long.")]


class SendCodeForm(FlaskForm):
    phone = PhoneField("Mobile number", PHONE_VALIDATORS, filters=[strip])
    next = HiddenField(validators=NEXT_VALIDATORS)


class LoginForm(FlaskForm):
    phone = PhoneField("Mobile number", PHONE_VALIDATORS, filters=[strip])
    code = StringField(
        "Code from the SMS",
        [
            DataRequired("Enter the 6-digit code from the SMS."),
            Length(max=6, message="The code has 6 digits."),
            Regexp(r"^[0-9]{6}\Z", message="The code is 6 digits, numbers only."),
        ],
        filters=[_digits_only],
    )
    next = HiddenField(validators=NEXT_VALIDATORS)


def first_error(form):
    """The first problem with a form, as one sentence for a flash or a JSON message."""
    for field in form:
        if field.errors:
            return field.errors[0]
    return "Check the form and try again."

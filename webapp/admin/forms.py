"""What the admin forms share: the image rule (an upload or an address) and field filters.
Every field is validated, and errors are shown next to the field."""

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from webapp.ops import uploads
from webapp.web.forms import strip
from webapp.web.links import is_http_url, is_safe_link


def safe_link(form, field):
    if field.data and not is_safe_link(field.data):
        raise ValidationError("Use a path on this site (starting with /) or an http(s):// address.")


def http_url(form, field):
    parts = urlsplit(field.data or "")
    if field.data and (parts.scheme not in {"http", "https"} or not parts.netloc or " " in field.data):
        raise ValidationError("The image address must be a full http:// or https:// address.")


class ImageChoiceForm(FlaskForm):
    """A form whose image is an upload or an address, never both; with `require_image`, one
    of the two must be given (on edit, neither keeps the current image)."""

    image_file = FileField("Upload an image (PNG, JPEG, GIF or WebP)")
    image_url = StringField(
        "…or an image address",
        validators=[Optional(), Length(max=500), http_url],
        filters=[strip],
    )

    def __init__(self, *args, require_image=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_image = require_image

    def has_upload(self):
        return bool(self.image_file.data and getattr(self.image_file.data, "filename", ""))

    def new_image(self):
        """The submitted image: a checked upload, stored (its /uploads/ URL), the given address,
        or None. Raises UploadRejected (nothing stored)."""
        if self.has_upload():
            return uploads.store(*uploads.read_checked(self.image_file.data.stream))
        return self.image_url.data or None

    def show_image(self, image):
        """Show a saved image for editing: only an outside address is shown (empty keeps a
        static or uploaded image)."""
        self.image_url.data = image if is_http_url(image) else ""

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Checked here, not in a field validator: Optional() ends the field's chain when empty.
        if self.has_upload() and self.image_url.data:
            self.image_url.errors.append("Give an upload or an address, not both.")
            return False
        if self.require_image and not self.image_url.data and not self.has_upload():
            self.image_file.errors.append("Upload an image or give its address.")
            return False
        return valid

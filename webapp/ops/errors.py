"""What can go wrong in the operations package, with the sentence a person sees."""

from webapp.errors import UserError


class UploadRejected(UserError):
    """The file is not an image we accept; the message says why, for the form."""

    message = "Only PNG, JPEG, GIF or WebP images can be uploaded."

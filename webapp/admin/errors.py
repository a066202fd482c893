"""What can go wrong in the admin area, with the sentence an admin sees beside the form."""

from webapp.errors import UserError


class SaveFailed(UserError):
    """The database refused the change; nothing was kept (a new upload included)."""

    status = 503
    retry_after = 5


class BannerSaveFailed(SaveFailed):
    message = "The banner could not be saved; nothing was changed."


class SaleSaveFailed(SaveFailed):
    message = "The sale could not be saved; nothing was changed."

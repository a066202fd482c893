"""What can go wrong on the homepage's side, with the status and sentence a person sees."""

from webapp.errors import UserError


class BannerNotFound(UserError):
    status = 404
    message = "There is no such banner."


class BannerLinksNowhere(UserError):
    status = 404
    message = "This banner does not link anywhere."

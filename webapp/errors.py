"""What every feature's errors are made of. A feature's errors live in its `errors.py`, each a
`UserError` with the HTTP status and the sentence a person sees; how the web answers them (a
page or JSON) is `webapp/web/errors.py`'s business, so the worker raises them too."""


class UserError(Exception):
    """Something a person can act on. Each feature's errors subclass it and carry their own
    HTTP status and message; the app answers any that a view lets through with that status and
    message (a page or JSON). Views with a form catch them to show the form again instead."""

    status = 400
    message = "The request could not be completed."
    retry_after = None  # seconds, for a 429 or 503

    def __init__(self, message=None):
        super().__init__(message or self.message)

    @property
    def headers(self):
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}

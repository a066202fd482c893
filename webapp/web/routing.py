"""URL converters shared by every blueprint."""

from werkzeug.routing import IntegerConverter


class IdConverter(IntegerConverter):
    """`<id:name>`: a database row id. Anything outside a database integer (0 or beyond
    2**31 - 1) does not match the route, so it is a 404 like any unknown id, never an
    overflow in the database driver."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)

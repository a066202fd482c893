"""Pages rendered once per version and kept, with holes for the few values that change on
every request.

The anonymous homepage changes when the banner list or the "hot" set does, a few times a day;
only its counters change per request. Running the template for each request would redo the
same work thousands of times. Instead the page is rendered once with a marker in each hole,
split at the markers, and kept; a request fills the holes with a join.

The key names everything the page depends on besides the holes (the template and the version
of its data; the mount point is added here), so a changed input is a new key and
nothing stale is ever served. Pages are kept per app, at most MAX_PAGES of them: past that the
store starts again empty (versions change rarely, so it rarely fills up).
"""

import re
import secrets

from flask import current_app, request, session
from markupsafe import escape

MAX_PAGES = 32

#: Made per process, so no text a page shows (a banner title, say) can contain it by chance.
_MARK = f"hole{secrets.token_hex(8)}"
_HOLES = re.compile(rf"{_MARK}:(\w+):")


class Hole:
    """Stands in the template for a per-request value while the page is rendered once."""

    def __init__(self, name):
        self.name = name

    def __html__(self):
        return f"{_MARK}:{self.name}:"

    __str__ = __html__


class Prerendered:
    """A rendered page split at its holes; `fill` puts a request's values in."""

    def __init__(self, html):
        parts = _HOLES.split(html)
        self.texts = parts[0::2]  # the page around the holes
        self.holes = parts[1::2]  # each hole's name, in page order (a name may repeat)

    def fill(self, values):
        """The page with each hole replaced by its value from `values`, escaped."""
        out = [self.texts[0]]
        for name, text in zip(self.holes, self.texts[1:], strict=True):
            out.append(escape(values[name]))
            out.append(text)
        return "".join(out)


def prerendered(key, render):
    """The page `render()` returns (rendered with `Hole`s for the per-request values), made
    once per `key` and mount point, as a `Prerendered`. Only for a page that is the same for
    every visitor it is served to (a request without a session): a render that wrote to the
    session (a form's CSRF token) made the page personal, so it is used once and not kept."""
    pages = current_app.extensions.setdefault("prerendered", {})
    full_key = (request.script_root, key)
    page = pages.get(full_key)
    if page is None:
        page = Prerendered(render())
        if not session.modified:
            if len(pages) >= MAX_PAGES:
                pages.clear()
            pages[full_key] = page
    return page

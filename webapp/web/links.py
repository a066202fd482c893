"""Which links the site will send people to: one check for every redirect and stored link.

Allowed: a path on this site ("/flash-sales/1"), and, where the caller allows it, a full
http(s) URL. Refused: `javascript:`, scheme-relative `//evil.example`, and what browsers turn
into one: `/\\evil.example`, or control and space characters (browsers drop a tab or newline in
"/%09/evil", leaving "//evil"). Checked before and after percent-decoding.
"""

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_LINK_LENGTH = 512


def is_safe_link(link, allow_external=True):
    """True for a path on this site, or (with `allow_external`) a full http(s) URL."""
    if not link or len(link) > MAX_LINK_LENGTH:
        return False
    if link.startswith("/"):
        return _is_local_path(link) and _is_local_path(unquote(link))
    return allow_external and _is_clean(link) and is_http_url(link)


def safe_next(target):
    """`target` if it is a path on this site (where to go after logging in), else None."""
    return target if is_safe_link(target, allow_external=False) else None


def _is_local_path(path):
    parts = urlsplit(path)
    return path.startswith("/") and not path.startswith("//") and _is_clean(path) and not parts.netloc


def _is_clean(link):
    """No backslash, no control or space character (browsers drop or reinterpret them)."""
    return "\\" not in link and not any(
        char.isspace() or unicodedata.category(char).startswith("C") for char in link
    )


def is_http_url(link):
    """A full http(s) URL with a host and no user part."""
    parts = urlsplit(link)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and "@" not in parts.netloc

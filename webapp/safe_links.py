"""Which links the site will send people to: its own paths, or http(s) URLs. Nothing else
(`javascript:`, `//evil.example`, `/\\evil.example`, control characters)."""

from urllib.parse import urlsplit


def is_safe_link(link):
    """True for a path on this site ("/flash-sales/1") or a full http(s) URL."""
    if not link or any(ord(c) < 32 or c in "\\ " for c in link):
        return False
    if link.startswith("/"):
        return not link.startswith("//")
    parts = urlsplit(link)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and "@" not in parts.netloc

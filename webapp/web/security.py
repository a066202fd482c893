"""Headers that protect the browser, on every response, from one after_request hook.

A few lines rather than Flask-Talisman: the policy is fixed (no per-request nonce: the site has
no inline script or style), so the headers are built once and copied onto each response, which
costs the homepage a dict update instead of an extension's per-request work; HTTPS redirects
are the proxy's job (PROXY_COUNT), not the app's.
"""

from flask import current_app, request

#: Scripts, styles, fetches and forms from this site only; images also from https (banners may
#: live elsewhere); no plugins, no framing, no <base> games.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def add_security_headers(response):
    """A view's own header wins (the uploads' stricter CSP); HSTS only over HTTPS.

    One look at the names already set, rather than `headers.setdefault` per header: werkzeug
    answers each missing name by raising and catching a KeyError."""
    present = {name.lower() for name, _ in response.headers}
    response.headers.extend((name, value) for name, value in HEADERS.items() if name.lower() not in present)
    hsts = current_app.config["HSTS_SECONDS"]
    if hsts and request.is_secure and "strict-transport-security" not in present:
        response.headers["Strict-Transport-Security"] = f"max-age={hsts}; includeSubDomains"
    return response


def register(app):
    app.after_request(add_security_headers)

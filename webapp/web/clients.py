"""Who is asking, without keeping their address: a keyed hash of the client's address (after
ProxyFix, so the real client behind PROXY_COUNT proxies), for counters that are per requester."""

import hashlib

from flask import request

from webapp.settings import secret_key


def requester_key(address=None):
    """24 hex characters standing for the request's client address (or `address`); the same
    address gives the same key for as long as SECRET_KEY stays, and the key reveals nothing."""
    address = request.remote_addr if address is None else address
    return hashlib.blake2b((address or "").encode(), key=secret_key()[:64], digest_size=12).hexdigest()

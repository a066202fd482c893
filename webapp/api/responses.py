"""JSON answers for the public API: an ETag over the exact body (304 when the client has it)
and a short Cache-Control, so browsers and proxies revalidate instead of refetching."""

import hashlib
import json

from flask import current_app, request


def conditional_json(payload):
    """`payload` as a JSON response with ETag and Cache-Control; 304 on a matching If-None-Match."""
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["API_MAX_AGE"]
    response.vary.add("Accept-Encoding")
    return response.make_conditional(request)

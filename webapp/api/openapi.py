"""The OpenAPI 3.1 document for /api. Its schemas are plain JSON Schema (2020-12), so the
tests validate live responses against them as they are."""

from flask import current_app

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "integer"}, "message": {"type": "string"}},
}

BANNER = {
    "type": "object",
    "required": ["id", "title", "image", "image_url", "link_url", "click_url", "sort_order"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "image": {"type": "string", "description": "As stored: a static path, /uploads/... or a URL."},
        "image_url": {"type": "string", "description": "Where to load the image from."},
        "link_url": {"type": "string", "description": "Where the banner leads; empty for none."},
        "click_url": {"type": "string", "description": "Follow this to count the click (/b/<id>)."},
        "sort_order": {"type": "integer"},
    },
}

SCHEMAS = {
    "Error": ERROR,
    "Banner": BANNER,
    "BannerList": {
        "type": "object",
        "required": ["banners"],
        "additionalProperties": False,
        "properties": {"banners": {"type": "array", "items": {"$ref": "#/components/schemas/Banner"}}},
    },
}

CACHE_HEADERS = {
    "ETag": {"description": "Send it back as If-None-Match to get a 304.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=API_MAX_AGE", "schema": {"type": "string"}},
}


def json_response(description, schema):
    return {
        "description": description,
        "headers": CACHE_HEADERS,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


NOT_MODIFIED = {"description": "The client's copy (If-None-Match) is current.", "headers": CACHE_HEADERS}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}


def error_response(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


PATHS = {
    "/api/banners": {
        "get": {
            "operationId": "listBanners",
            "summary": "The active homepage banners, in display order.",
            "parameters": [IF_NONE_MATCH],
            "responses": {"200": json_response("The banners.", "BannerList"), "304": NOT_MODIFIED},
        }
    },
}


def document():
    """The OpenAPI document, with this site's name."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{current_app.config['SITE_NAME']} API",
            "version": "1.0.0",
            "description": "Read-only JSON, served from the Redis cache with ETag revalidation.",
        },
        "servers": [{"url": "/"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }

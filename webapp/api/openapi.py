"""The OpenAPI 3.1 document for /api. Its schemas are plain JSON Schema (2020-12), so the
tests validate live responses against them as they are."""

from flask import current_app

from webapp.flash_sale.errors import SaleNotFound

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

SALE = {
    "type": "object",
    "required": [
        "id",
        "product_name",
        "image",
        "image_url",
        "page_url",
        "price",
        "price_cents",
        "total_stock",
        "stock_left",
        "starts_at",
        "ends_at",
        "status",
    ],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer"},
        "product_name": {"type": "string"},
        "image": {"type": "string", "description": "As stored; empty for none."},
        "image_url": {"type": "string", "description": "Where to load the image from; empty for none."},
        "page_url": {"type": "string", "description": "The sale's page on this site."},
        "price": {"type": "string", "pattern": "^[0-9]+\\.[0-9]{2}$", "description": "For display: 199.00"},
        "price_cents": {"type": "integer", "minimum": 1},
        "total_stock": {"type": "integer", "minimum": 1},
        "stock_left": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "Units left right now (live); null while unknown (stock not loaded, Redis down).",
        },
        "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"},
        "status": {"enum": ["upcoming", "running", "ended"]},
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
    "FlashSale": SALE,
    "FlashSaleList": {
        "type": "object",
        "required": ["flash_sales"],
        "additionalProperties": False,
        "properties": {"flash_sales": {"type": "array", "items": {"$ref": "#/components/schemas/FlashSale"}}},
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
    "/api/flash-sales": {
        "get": {
            "operationId": "listFlashSales",
            "summary": "Running and upcoming flash sales, soonest first.",
            "parameters": [IF_NONE_MATCH],
            "responses": {"200": json_response("The sales.", "FlashSaleList"), "304": NOT_MODIFIED},
        }
    },
    "/api/flash-sales/{sale_id}": {
        "get": {
            "operationId": "getFlashSale",
            "summary": "One flash sale, with its live stock.",
            "parameters": [
                {
                    "name": "sale_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647},
                },
                IF_NONE_MATCH,
            ],
            "responses": {
                "200": json_response("The sale.", "FlashSale"),
                "304": NOT_MODIFIED,
                "404": error_response(SaleNotFound.message),
            },
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

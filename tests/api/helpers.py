"""Checking live API answers against the site's own OpenAPI document."""

import jsonschema


def validate(client, body, schema_name):
    """Validate a live response body against the document's schema `schema_name`."""
    document = client.get("/api/openapi.json").json
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{schema_name}",
        "components": document["components"],
    }
    jsonschema.validate(body, schema, format_checker=jsonschema.FormatChecker())

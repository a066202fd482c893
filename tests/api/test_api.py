"""The cached JSON API: answers match the OpenAPI document, ETag/304, cache kept true."""

import re

import jsonschema

from tests.api.helpers import validate
from webapp.extensions import db
from webapp.home.carousel import save_banner
from webapp.home.models import Banner


def response_schema(document, path, status="200"):
    content = document["paths"][path]["get"]["responses"][status]["content"]["application/json"]
    return content["schema"]["$ref"].rsplit("/", 1)[1]


def test_banners_answer_matches_the_openapi_document(client, banners):
    response = client.get("/api/banners")
    assert response.status_code == 200
    document = client.get("/api/openapi.json").json
    validate(client, response.json, response_schema(document, "/api/banners"))
    assert [b["id"] for b in response.json["banners"]] == banners
    first = response.json["banners"][0]
    assert first["image_url"] == "/static/img/banners/1.svg"
    assert first["click_url"] == f"/b/{banners[0]}"


def test_the_document_describes_exactly_the_live_api(app, client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.")
    live = {
        re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)  # <int:sale_id> -> {sale_id}
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json"
    }
    assert live == set(document["paths"])
    jsonschema.Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})


def test_etag_gives_304_and_cache_control_allows_short_reuse(app, client, banners):
    first = client.get("/api/banners")
    etag = first.headers["ETag"]
    assert "public" in first.headers["Cache-Control"]
    assert f"max-age={app.config['API_MAX_AGE']}" in first.headers["Cache-Control"]
    again = client.get("/api/banners", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag


def test_a_banner_edit_changes_the_answer_and_its_etag_at_once(app, client, banners):
    etag = client.get("/api/banners").headers["ETag"]
    with app.app_context():
        banner = db.session.get(Banner, banners[0])
        banner.title = "Changed for the API"
        save_banner(banner)
    response = client.get("/api/banners", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json["banners"][0]["title"] == "Changed for the API"


def test_banners_come_from_the_same_cache_as_the_homepage(app, client, banners, redis_client):
    client.get("/")  # the homepage fills the cache
    from webapp.home.carousel import banner_list

    with app.app_context():
        before = banner_list.stats()
        client.get("/api/banners")
        after = banner_list.stats()
    assert after["hits"] == before["hits"] + 1
    assert after["misses"] == before["misses"]


def test_banners_are_served_from_the_database_while_redis_is_down(client, banners, redis_server):
    with redis_server.down():
        response = client.get("/api/banners")
    assert response.status_code == 200
    assert [b["id"] for b in response.json["banners"]] == banners


def test_unknown_api_paths_answer_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json["error"] == 404

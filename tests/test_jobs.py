"""Celery's configuration, derived from the site's settings."""

from webapp import create_app


def test_celery_defaults_to_the_redis_server_databases_1_and_2_with_json_only(settings):
    overrides = {**settings, "REDIS_URL": "redis://cache.example:6380/0"}
    overrides.pop("CELERY_BROKER_URL")
    overrides.pop("CELERY_RESULT_BACKEND")
    celery = create_app("testing", overrides).extensions["celery"].conf
    assert celery.broker_url == "redis://cache.example:6380/1"
    assert celery.result_backend == "redis://cache.example:6380/2"
    assert celery.accept_content == ["json"] and celery.task_serializer == "json"
    assert 120 <= celery.broker_transport_options["visibility_timeout"] <= 900  # minutes: no long ETAs


def test_a_broker_url_in_the_sites_sentinel_form_is_spelled_celerys_way(settings):
    overrides = {**settings, "CELERY_BROKER_URL": "redis+sentinel://10.1.0.1:26379/shop/5"}
    celery = create_app("testing", overrides).extensions["celery"].conf
    assert celery.broker_url == "sentinel://10.1.0.1:26379/5"

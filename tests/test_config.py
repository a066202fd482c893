"""Settings: secrets from the environment, safe development defaults, derived Celery settings."""

import pytest

from config import ProductionConfig, database_url, redis_db_url
from webapp import create_app


def test_production_refuses_to_start_without_a_secret_key(settings):
    overrides = {**settings, "SECRET_KEY": None}
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app(ProductionConfig, overrides)


def test_celery_defaults_to_the_redis_server_databases_1_and_2_with_json_only(settings):
    overrides = {**settings, "REDIS_URL": "redis://cache.example:6380/0"}
    overrides.pop("CELERY_BROKER_URL")
    overrides.pop("CELERY_RESULT_BACKEND")
    celery = create_app("testing", overrides).extensions["celery"].conf
    assert celery.broker_url == "redis://cache.example:6380/1"
    assert celery.result_backend == "redis://cache.example:6380/2"
    assert celery.accept_content == ["json"] and celery.task_serializer == "json"
    assert 120 <= celery.broker_transport_options["visibility_timeout"] <= 900  # minutes: no long ETAs


def test_database_and_redis_urls_are_normalised():
    assert database_url("postgres://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert database_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    assert redis_db_url("redis://127.0.0.1:6379/0", 2) == "redis://127.0.0.1:6379/2"
    assert redis_db_url("redis://127.0.0.1:6379", 1) == "redis://127.0.0.1:6379/1"


def test_a_sentinel_redis_url_points_every_redis_user_at_the_sentinels(settings):
    from config import sentinel_url

    url = "redis+sentinel://:pw@10.1.0.1:26379,10.1.0.2:26380/shop/0"
    assert sentinel_url(url) == ([("10.1.0.1", 26379), ("10.1.0.2", 26380)], "shop", 0, "pw")
    overrides = {**settings, "REDIS_URL": url}
    overrides.pop("CELERY_BROKER_URL")
    overrides.pop("CELERY_RESULT_BACKEND")
    app = create_app("testing", overrides)
    celery = app.extensions["celery"].conf
    assert celery.broker_url == "sentinel://:pw@10.1.0.1:26379/1;sentinel://:pw@10.1.0.2:26380/1"
    assert celery.result_backend.endswith("10.1.0.2:26380/2")
    assert celery.broker_transport_options["master_name"] == "shop"
    assert celery.result_backend_transport_options["master_name"] == "shop"
    assert celery.broker_transport == "webapp.redis_broker:SentinelTransport"
    assert celery.redbeat_redis_options["service_name"] == "shop"
    pool = app.extensions["redis"].connection_pool
    assert pool.service_name == "shop"  # the app's client asks the Sentinels for the master


def test_production_refuses_the_development_only_sms_file_outbox(settings):
    overrides = {**settings, "SECRET_KEY": "k", "TRUSTED_HOSTS": "shop.example", "SMS_BACKEND": "file"}
    with pytest.raises(RuntimeError, match="development backend only"):
        create_app(ProductionConfig, overrides)

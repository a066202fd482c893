"""Reading Redis URLs (one parser for every caller), and the clients made from them."""

import pytest

from webapp import create_app
from webapp.redis import RedisURL, parse_redis_url
from webapp.settings import ConfigError


def test_a_server_url_names_its_database_and_the_same_server_at_another():
    url = parse_redis_url("redis://127.0.0.1:6379/0")
    assert url == RedisURL(url="redis://127.0.0.1:6379/0", db=0)
    assert url.for_db(2).url == "redis://127.0.0.1:6379/2"
    assert parse_redis_url("redis://127.0.0.1:6379").for_db(1).url == "redis://127.0.0.1:6379/1"
    assert parse_redis_url("rediss://:pw@cache.example:6380/3").db == 3
    assert parse_redis_url("rediss://:pw@cache.example:6380/3").password == "pw"


def test_a_socket_url_keeps_its_database_in_the_query_and_celery_gets_kombus_spelling():
    url = parse_redis_url("unix:///run/redis.sock?db=0")
    assert url.for_db(1).url == "unix:///run/redis.sock?db=1"
    assert url.celery_url(1) == "redis+socket:///run/redis.sock?virtual_host=1"
    assert url.celery_url(2, backend=True) == "socket:///run/redis.sock?virtual_host=2"


def test_a_sentinel_url_names_the_sentinels_the_master_and_the_database():
    url = parse_redis_url("redis+sentinel://:pw@10.1.0.1:26379,10.1.0.2:26380/shop/0")
    assert url.sentinels == (("10.1.0.1", 26379), ("10.1.0.2", 26380))
    assert (url.master, url.db, url.password) == ("shop", 0, "pw")
    assert url.for_db(1).url == "redis+sentinel://:pw@10.1.0.1:26379,10.1.0.2:26380/shop/1"
    assert url.celery_url(1) == "sentinel://:pw@10.1.0.1:26379/1;sentinel://:pw@10.1.0.2:26380/1"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://cache.example/0", "must start with redis://"),
        ("redis://cache.example/99", "a database from 0 to 15"),
        ("redis+sentinel://10.1.0.1:26379", "the Sentinels and the master's name"),
        ("redis+sentinel://10.1.0.1:x/shop/0", "not a number"),
    ],
)
def test_a_url_the_site_cannot_use_is_refused_in_one_sentence(url, says):
    with pytest.raises(ConfigError, match=says):
        parse_redis_url(url)


def test_a_sentinel_redis_url_points_every_redis_user_at_the_sentinels(settings):
    url = "redis+sentinel://:pw@10.1.0.1:26379,10.1.0.2:26380/shop/0"
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

"""Several hosts, one site: two web servers with separate instance folders, two workers and two
beats on one Redis and PostgreSQL. An image uploaded through host A is served by host B; a Buy
storm spread over both hosts, with a worker SIGKILLed holding orders, sells exactly the stock;
the beats send each periodic task once, and killing the sending beat hands over in bound."""

import io
import time

import pytest
import requests

from tests.admin.helpers import png_bytes
from tests.faults.conftest import Site
from tests.faults.helpers import logged_in_users, orders_held_back, storm
from tests.faults.test_beats import BOUND, SEND, leader, sends, sends_during
from tests.flash_sale.helpers import db_state, make_sale, orders_of
from tests.support import CSRF_TOKEN, SentinelCluster, start_beat, start_gunicorn, wait_for
from webapp.auth.models import User
from webapp.extensions import db
from webapp.flash_sale import sales

UNITS, USERS = 20, 40


def host(site, tmp_path, name):
    """A web host: its own instance folder (nothing shared through a disk)."""
    folder = tmp_path / name
    folder.mkdir()
    return site.start(start_gunicorn({**site.settings, "INSTANCE_PATH": str(folder)}, folder, name=name))


def admin_session(app):
    with app.app_context():
        admin = User(phone="+8613700000099", is_admin=True)
        db.session.add(admin)
        db.session.commit()
        return app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": str(admin.id), "_fresh": True}
        )


def upload_through(base_url, cookie):
    session = requests.Session()
    session.cookies.set("session", cookie, domain="127.0.0.1", path="/")
    form = session.get(f"{base_url}/admin/banners/new").text
    token = next(g for g in CSRF_TOKEN.search(form).groups() if g)
    answer = session.post(
        f"{base_url}/admin/banners/new",
        data={"csrf_token": token, "title": "Uploaded on host A", "is_active": "y"},
        files={"image_file": ("a.png", io.BytesIO(png_bytes(4)), "image/png")},
        allow_redirects=False,
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin/banners/"), (
        answer.headers["Location"]
    )


@pytest.fixture(params=["one Redis", "Sentinel"])
def redis_settings(request, tmp_path):
    """The Redis every host shares: the site's own, or a master, a replica and three Sentinels."""
    if request.param == "one Redis":
        yield {}
        return
    cluster = SentinelCluster(tmp_path / "sentinel")
    cluster.start()
    yield {"REDIS_URL": cluster.url(0), "CELERY_BROKER_URL": "", "CELERY_RESULT_BACKEND": ""}
    cluster.stop()


def test_two_hosts_one_site(tmp_path, settings, postgres_url, redis_settings):
    site = Site(
        tmp_path, settings, persistent=True, database_url=postgres_url,
        ORDER_SWEEP_SECONDS=1, ORDER_REPUBLISH_SECONDS=3, BANNER_REFRESH_SECONDS=1,
        BEAT_LOCK_SECONDS=3, BEAT_TICK_SECONDS=1, **redis_settings,
    )  # fmt: skip
    try:
        app = site.app
        host_a, host_b = host(site, tmp_path, "host-a"), host(site, tmp_path, "host-b")
        doomed = site.start_worker("worker-a", concurrency=4)
        site.start_worker("worker-b", concurrency=4)
        beat_a = site.start(start_beat(site.settings, tmp_path, name="beat-a"))
        beat_b = site.start(start_beat(site.settings, tmp_path, name="beat-b"))

        # An upload made through host A is served by host B.
        upload_through(host_a.url, admin_session(app))
        page = requests.get(f"{host_b.url}/", timeout=5).text
        image = next(part.split('"')[0] for part in page.split('src="') if part.startswith("/uploads/"))
        served = requests.get(f"{host_b.url}{image}", timeout=5)
        assert served.status_code == 200 and served.content == png_bytes(4)

        # A storm over both hosts, one worker killed holding orders: exactly the stock.
        sale_id = make_sale(app, stock=UNITS)
        cookies = logged_in_users(app, USERS)
        with orders_held_back(app, sale_id):
            replies = storm([host_a.url, host_b.url], sale_id, cookies)
            wait_for(lambda: doomed.tail(4000).count("create_order") >= 2, 15, "worker-a to take orders")
            doomed.kill()
        reserved = sorted(uid for uid, status in replies if status == 202)
        assert len(reserved) == UNITS
        wait_for(lambda: db_state(app, sale_id)[1] == UNITS, 60, "an order for every reservation")
        assert sorted(buyer for _, _, buyer, _ in orders_of(app, sale_id)) == reserved
        with app.app_context():
            drift = sales.reconcile(sale_id)
        assert drift.clean, list(drift.lines())

        # Two beats, one sender; kill it and the other takes over in bound.
        active, standby = leader(beat_a, beat_b)
        counted = sends_during((active, standby), 5)
        assert counted[1] == 0 and 3 <= counted[0] <= 6
        active.kill()
        killed_at = time.monotonic()
        before = sends(standby)
        wait_for(lambda: sends(standby) > before, BOUND, "the other beat to take over")
        assert time.monotonic() - killed_at <= BOUND
        assert SEND in standby.tail(50)
    finally:
        site.stop()

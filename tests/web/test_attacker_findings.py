"""What an attacker tried on the site, and what each attempt gets now: one test per finding,
made with the request that found it."""

from sqlalchemy import select

from tests.auth.helpers import issued_code, log_in, send_code
from tests.flash_sale.helpers import buy, make_sale
from tests.support import csrf_token
from webapp import create_app
from webapp.auth import keys as auth_keys
from webapp.auth.models import User
from webapp.extensions import db

PHONE = "+8613812345678"


def test_an_oversized_body_gets_413_at_once_from_the_configured_app(settings):
    app = create_app("testing", settings)  # no MAX_CONTENT_LENGTH set by hand: config.py's own
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["UPLOAD_MAX_BYTES"] + 64 * 1024
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = app.test_client().post(
        "/auth/logout", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413


def test_a_session_replayed_after_logout_is_dead_for_pages_and_buying(app, client):
    sale_id = make_sale(app, stock=5)
    log_in(client, PHONE, issued_code(app, PHONE))
    stolen = client.get_cookie("session").value  # copied before the owner logs out
    assert client.get("/orders").status_code == 200
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})

    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    assert attacker.get("/orders").status_code == 302  # to the login page
    assert buy(attacker, sale_id).status_code == 401


def test_log_out_everywhere_and_demotion_end_every_session(app, client, runner, login):
    login(PHONE, admin=True)
    assert client.get("/admin/").status_code == 200
    assert runner.invoke(args=["users", "remove-admin", PHONE]).exit_code == 0
    assert client.get("/admin/").status_code == 302  # logged out, not just demoted
    log_in(client, PHONE, issued_code(app, PHONE))
    assert client.get("/orders").status_code == 200
    assert runner.invoke(args=["users", "log-out", PHONE]).exit_code == 0
    assert client.get("/orders").status_code == 302


def test_unknown_sale_ids_leave_no_key_for_good(client, redis_client):
    for sale_id in range(5000, 5050):
        assert client.get(f"/api/flash-sales/{sale_id}").status_code == 404
    left = redis_client.keys("*flash-sale:5*")
    assert left and all(0 < redis_client.ttl(key) <= 86400 for key in left), left


def test_another_address_cannot_spend_or_block_the_owners_codes(app):
    app.config.update(SMS_DAILY_LIMIT=2, SMS_RESEND_SECONDS=0)
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(2):
        assert send_code(attacker, PHONE, environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 202
    assert send_code(attacker, PHONE, environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 429
    assert send_code(owner, PHONE).status_code == 202  # the owner's quota is their own


def test_the_site_wide_budget_stops_sms_pumping_across_addresses(app):
    app.config.update(SMS_DAILY_BUDGET=3, SMS_RESEND_SECONDS=0)
    client = app.test_client()
    answers = [
        send_code(client, f"+86138000000{n:02d}", environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code
        for n in range(5)
    ]
    assert answers == [202, 202, 202, 503, 503]


def test_a_forged_host_header_is_refused_in_production(app, settings):  # app: the tables exist
    production = create_app(
        "production", {**settings, "SECRET_KEY": "k", "TRUSTED_HOSTS": "shop.example,localhost"}
    )
    client = production.test_client()
    response = client.get("/admin", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.headers.get("Location", "")
    assert client.get("/", headers={"Host": "shop.example"}).status_code == 200


def test_production_refuses_to_start_without_trusted_hosts(settings):
    import pytest

    with pytest.raises(RuntimeError, match="TRUSTED_HOSTS must be set"):
        create_app("production", {**settings, "SECRET_KEY": "k", "TRUSTED_HOSTS": ""})


def test_healthz_tells_anyone_no_error_texts(client, redis_server):
    with redis_server.down():
        report = client.get("/healthz").json
    assert report["checks"]["redis"] == {"status": "down"}
    assert "Error" not in str(report) and "refused" not in str(report)


def test_unicode_digits_in_a_cursor_are_400_not_500(client, admin):
    for cursor in ("²", "٣", "9" * 40, str(2**64)):
        assert client.get("/admin/redis", query_string={"cursor": cursor}).status_code == 400


def test_a_code_of_arabic_indic_digits_is_refused_without_spending_an_attempt(app, client, redis_client):
    issued_code(app, PHONE)
    response = log_in(client, PHONE, "١٢٣٤٥٦", as_json=True)
    assert response.status_code == 400 and "numbers only" in response.json["message"]
    assert redis_client.hget(auth_keys.code(PHONE), "attempts") == b"0"


def test_the_session_cookie_never_carries_the_phone_number(app, client):
    send_code(client, PHONE, as_json=False)
    with client.session_transaction() as stored:
        assert PHONE not in str(dict(stored)) and "13812345678" not in str(dict(stored))
    page = client.get("/auth/login").get_data(as_text=True)
    assert "138****5678" in page  # the login page still knows where the code went


def test_buying_with_a_revoked_session_reserves_nothing(app, client, login, redis_client):
    sale_id = make_sale(app, stock=1)
    user_id = login(PHONE)
    with app.app_context():
        from webapp.auth.session import revoke_sessions

        with app.test_request_context():
            revoke_sessions(db.session.scalar(select(User).where(User.id == user_id)))
    assert buy(client, sale_id).status_code == 401
    assert redis_client.hget(f"flash:sale:{sale_id}", "stock") == b"1"

"""Abuse limits: resend cooldown, daily quota per phone, hourly limit per client IP."""

from tests.auth.helpers import requester, send_code
from tests.support import csrf_token, wait_for
from webapp import create_app
from webapp.auth import keys

PHONE = "+8613812345678"


def test_resend_within_the_cooldown_is_429_with_retry_after(client):
    assert send_code(client, PHONE).status_code == 202
    again = send_code(client, "13812345678")
    assert again.status_code == 429
    assert 55 <= int(again.headers["Retry-After"]) <= 60
    assert again.get_json()["message"].startswith("A code was sent to this number moments ago.")


def test_cooldown_without_javascript_shows_the_page_with_the_message(client):
    send_code(client, PHONE, as_json=False)
    again = send_code(client, PHONE, as_json=False)
    assert again.status_code == 429 and "Retry-After" in again.headers
    page = again.get_data(as_text=True)
    assert "A code was sent to this number moments ago" in page and 'action="/auth/sms-code"' in page


def test_daily_quota_per_phone_is_429_until_the_window_ends(app, client, redis_client):
    app.config.update(SMS_DAILY_LIMIT=2, SMS_RESEND_SECONDS=1)
    for _ in range(2):
        wait_for(
            lambda: not redis_client.exists(keys.cooldown(PHONE, requester(app))), 5, "the cooldown to end"
        )
        assert send_code(client, PHONE).status_code == 202
    wait_for(lambda: not redis_client.exists(keys.cooldown(PHONE, requester(app))), 5, "the cooldown to end")
    refused = send_code(client, PHONE)
    assert refused.status_code == 429
    assert 23 * 3600 < int(refused.headers["Retry-After"]) <= 24 * 3600
    assert "as many codes as we send in a day" in refused.get_json()["message"]
    assert send_code(client, "+8613812340000").status_code == 202  # other numbers are not affected


def test_hourly_limit_per_ip_refuses_with_a_clear_message(app, client):
    app.config["SMS_IP_HOURLY_LIMIT"] = 3
    token = csrf_token(client, "/auth/login")
    for n in range(3):
        assert send_code(client, f"+86138000001{n:02d}", token=token).status_code == 202
    refused = send_code(client, "+8613800000199", token=token)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3601
    assert refused.get_json() == {
        "error": 429,
        "message": "Too many codes were requested from your network. Please try again later.",
    }
    # Without trusted proxies, a forged X-Forwarded-For does not make a new client.
    forged = client.post(
        "/auth/sms-code",
        data={"phone": "+8613800000198", "csrf_token": token},
        headers={"Accept": "application/json", "X-Forwarded-For": "203.0.113.9"},
    )
    assert forged.status_code == 429


def test_behind_a_trusted_proxy_the_limit_is_per_forwarded_client(settings, redis_server):
    app = create_app("testing", {**settings, "PROXY_COUNT": 1, "SMS_IP_HOURLY_LIMIT": 2})
    redis_server.wipe(0)
    client = app.test_client()
    token = csrf_token(client, "/auth/login")

    def send(phone, ip):
        return client.post(
            "/auth/sms-code",
            data={"phone": phone, "csrf_token": token},
            headers={"Accept": "application/json", "X-Forwarded-For": ip},
        )

    assert send("+8613800000201", "198.51.100.1").status_code == 202
    assert send("+8613800000202", "198.51.100.1").status_code == 202
    assert send("+8613800000203", "198.51.100.1").status_code == 429
    assert send("+8613800000204", "198.51.100.2").status_code == 202


def test_login_attempts_per_ip_are_limited_too(app, client):
    app.config["SMS_LOGIN_IP_HOURLY_LIMIT"] = 2
    token = csrf_token(client, "/auth/login")
    data = {"phone": PHONE, "code": "123456", "csrf_token": token}
    assert client.post("/auth/login", data=data).status_code == 400
    assert client.post("/auth/login", data=data).status_code == 400
    refused = client.post("/auth/login", data=data, headers={"Accept": "application/json"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many login attempts" in refused.get_json()["message"]

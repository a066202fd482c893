"""SMS-code login end to end: the page, the send task on a real worker, the file outbox."""

import re
import time

from tests.auth.helpers import JSON, log_in, outbox_messages, send_code, wait_for_code
from tests.support import csrf_token, wait_for

PHONE = "+8613812345678"


def task_state(client, task_id):
    return client.get(f"/tasks/{task_id}").get_json()


def test_login_page_has_phone_and_code_forms_with_csrf(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'action="/auth/sms-code"' in page and 'name="phone"' in page and "Send code" in page
    assert 'action="/auth/login"' in page and 'name="code"' in page and "Log in" in page
    assert page.count('name="csrf_token"') >= 2
    assert "js/login.js" in page


def test_code_sent_through_the_worker_logs_the_user_in(app, client, settings, celery_worker):
    sent = send_code(client, "138 1234 5678")
    assert sent.status_code == 202
    body = sent.get_json()
    assert body["resend_in"] == 60 and body["to"] == "138****5678" and body["task_id"]

    code = wait_for_code(settings["SMS_OUTBOX_PATH"], PHONE)
    (message,) = outbox_messages(settings["SMS_OUTBOX_PATH"])
    assert (
        message["text"] == f"Redis Shop: your login code is {code}. It expires in 5 minutes. Never share it."
    )
    assert message["sent_at"]
    wait_for(lambda: task_state(client, body["task_id"])["state"] == "SUCCESS", 10, "task success")
    assert task_state(client, body["task_id"])["result"] == {"sent": True, "to": "138****5678"}

    response = log_in(client, "13812345678", code)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "138****5678" in home and "Log out" in home

    from webapp.auth.users import user_by_phone

    with app.app_context():
        user = user_by_phone(PHONE)
        assert user is not None and user.last_login_at is not None and not user.is_admin


def test_without_javascript_send_code_redirects_back_with_a_flash(client, settings, celery_worker):
    token = csrf_token(client, "/auth/login?next=/orders")
    response = send_code(client, PHONE, as_json=False, token=token, next="/orders")
    assert response.status_code == 303
    assert response.headers["Location"] == "/auth/login?next=/orders"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We are sending a code to 138****5678" in page
    assert "Code sent to 138****5678" in page
    assert re.search(f'id="login-phone"[^>]*type="hidden" value="\\{PHONE}"', page)  # for the login form
    assert re.search(r'data-resend-in="(5\d|60)"', page)

    code = wait_for_code(settings["SMS_OUTBOX_PATH"], PHONE)
    response = log_in(client, PHONE, code, next="/orders")
    assert response.status_code == 303 and response.headers["Location"] == "/orders"


def test_logging_in_rotates_the_session(app, client):
    from tests.auth.helpers import issued_code

    send_code(client, "+8613800000011")  # the session now remembers a task id
    with client.session_transaction() as session:
        before = dict(session)
    assert before["task_ids"] and before["csrf_token"]

    code = issued_code(app, "+8613800000012")
    assert log_in(client, "+8613800000012", code).status_code == 303
    with client.session_transaction() as session:
        after = dict(session)
    assert "_user_id" in after
    assert "task_ids" not in after and "login_phone" not in after and "login_ref" not in after
    assert after.get("csrf_token") != before["csrf_token"]


def test_logout_needs_a_post_with_csrf_and_ends_the_session(app, client, login):
    login("+8613800000021")
    assert "138****0021" in client.get("/").get_data(as_text=True)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400  # no CSRF token
    response = client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "138****0021" not in page and "Log in" in page


def test_task_status_is_only_for_the_session_that_sent_the_code(app, client):
    task_id = send_code(client, PHONE).get_json()["task_id"]
    assert client.get(f"/tasks/{task_id}").status_code == 200

    stranger = app.test_client()
    response = stranger.get(f"/tasks/{task_id}")
    assert response.status_code == 404 and response.get_json()["error"] == 404
    assert client.get("/tasks/00000000-0000-0000-0000-000000000000").status_code == 404


def test_pages_behind_login_send_people_to_login_and_api_clients_a_401(app, client):
    from flask_login import login_required

    app.add_url_rule("/members-only", "members_only", login_required(lambda: "welcome"))
    response = client.get("/members-only?tab=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/members-only?tab%3D1"

    response = client.get("/members-only", headers=JSON)
    assert response.status_code == 401
    assert response.get_json() == {"error": 401, "message": "Please log in to continue."}


def test_homepage_for_a_logged_in_user_shows_the_masked_phone(client, login):
    login("+8613912345678")
    started = time.monotonic()
    page = client.get("/").get_data(as_text=True)
    assert time.monotonic() - started < 5
    assert "139****5678" in page and "+8613912345678" not in page


def test_login_page_sends_a_logged_in_user_on(client, login):
    login("+8613912345678")
    response = client.get("/auth/login?next=/orders")
    assert response.status_code == 302 and response.headers["Location"] == "/orders"

"""A person logs in through the page in Chromium, reading the code from the file outbox."""

import pytest

from tests.auth.helpers import wait_for_code

PHONE = "+8613812345678"


@pytest.mark.browser
def test_person_logs_in_with_the_code_from_the_sms(
    app, page, live_server, celery_worker, settings, screenshot_path
):
    page.goto(f"{live_server.url}/auth/login?next=/")
    page.fill("#send-phone", "138 1234 5678")
    page.click("#send-code")
    page.wait_for_selector("#send-status.is-ok", timeout=20000)
    assert page.text_content("#send-status") == "Sent. Check your phone."
    assert page.text_content("#code-sent-to") == "Code sent to 138****5678."
    assert page.is_disabled("#send-code") and "Send again in" in page.text_content("#send-code")
    page.screenshot(path=screenshot_path("login-code-sent"))

    page.fill("#code", wait_for_code(settings["SMS_OUTBOX_PATH"], PHONE))
    page.click("#log-in")
    page.wait_for_selector(".nav-user")
    assert page.url == f"{live_server.url}/"
    assert page.text_content(".nav-user") == "138****5678"
    assert "You are logged in as 138****5678." in page.text_content("main")
    page.screenshot(path=screenshot_path("login-logged-in"))

    page.click("text=Log out")
    page.wait_for_selector("text=You are logged out.")
    assert page.locator(".nav-user").count() == 0


@pytest.mark.browser
def test_resend_too_soon_shows_the_cooldown_message(app, page, live_server, celery_worker):
    page.goto(f"{live_server.url}/auth/login")
    page.fill("#send-phone", "+86 139 1234 5678")
    page.click("#send-code")
    page.wait_for_selector("#send-status.is-ok", timeout=20000)
    page.reload()  # the page remembers the cooldown without JavaScript's help
    assert "Send again in" in page.text_content("#send-code")
    page.evaluate("document.getElementById('send-code').disabled = false")
    page.fill("#send-phone", "+86 139 1234 5678")
    page.click("#send-code")
    page.wait_for_selector("#send-status.is-error")
    assert "moments ago" in page.text_content("#send-status")

"""Bad input gets a 4xx with a sentence a person understands; next= never leaves the site."""

import pytest

from tests.auth.helpers import JSON, issued_code, log_in, send_code

PHONE = "+8613812345678"


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("", "Enter your mobile phone number."),
        ("   ", "Enter your mobile phone number."),
        ("call me maybe", "A phone number has digits only"),
        ("12", "That is not a valid phone number."),
        ("+12", "That does not look like a phone number"),
        ("1" * 33, "A phone number has at most 32 characters."),
        ("010 1234 5678", "That number cannot receive text messages."),
    ],
)
def test_send_code_refuses_bad_phone_numbers(client, phone, message):
    response = send_code(client, phone)
    assert response.status_code == 400
    assert response.get_json()["message"].startswith(message)


def test_bad_phone_without_javascript_shows_the_form_with_the_error(client):
    response = send_code(client, "not a number", as_json=False)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<p class="field-error">A phone number has digits only' in page
    assert 'value="not a number"' in page  # what they typed is kept, escaped
    assert page.count("A phone number has digits only") == 1  # beside the field, not flashed too


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code from the SMS."),
        ("12ab56", "The code is 6 digits, numbers only."),
        ("12345", "The code is 6 digits, numbers only."),
        ("1234567", "The code has 6 digits."),
        ("9" * 5000, "The code has 6 digits."),
    ],
)
def test_login_refuses_malformed_codes(client, code, message):
    response = log_in(client, PHONE, code, as_json=True)
    assert response.status_code == 400
    assert response.get_json()["message"] == message


def test_login_accepts_a_code_typed_with_a_space(app, client):
    code = issued_code(app, PHONE)
    assert log_in(client, PHONE, f"{code[:3]} {code[3:]}").status_code == 303


def test_login_without_a_phone_asks_for_a_code_first(client):
    response = log_in(client, "", "123456", as_json=True)
    assert response.status_code == 400
    assert response.get_json()["message"] == "Enter your mobile phone number."


def test_an_overlong_next_is_refused(client):
    response = send_code(client, PHONE, next="/" + "a" * 600)
    assert response.status_code == 400
    assert response.get_json()["message"] == "The page to return to is too long."


@pytest.mark.parametrize("path", ["/auth/sms-code", "/auth/login"])
def test_posts_without_a_csrf_token_are_refused(client, path):
    response = client.post(path, data={"phone": PHONE, "code": "123456"})
    assert response.status_code == 400
    assert "missing its security token" in response.get_data(as_text=True)
    response = client.post(
        path, data={"phone": PHONE, "code": "123456", "csrf_token": "forged"}, headers=JSON
    )
    assert response.status_code == 400 and "security token" in response.get_json()["message"]


def test_wrong_methods_are_405(client):
    assert client.get("/auth/sms-code").status_code == 405
    assert client.get("/auth/logout").status_code == 405
    assert client.delete("/auth/login").status_code == 405


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "/%09/evil.example",
        "/%5Cevil.example",
        "/%2F/evil.example",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
        " //evil.example",
        "/\t/evil.example",
        "evil.example",
    ],
)
def test_open_redirect_payloads_in_next_are_refused(app, client, target):
    code = issued_code(app, PHONE)
    response = log_in(client, PHONE, code, next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_next_pointing_into_the_site_is_followed(app, client):
    code = issued_code(app, PHONE)
    response = log_in(client, PHONE, code, next="/orders/7?tab=paid")
    assert response.headers["Location"] == "/orders/7?tab=paid"


def test_login_page_drops_an_unsafe_next(client):
    page = client.get("/auth/login?next=//evil.example").get_data(as_text=True)
    assert "evil.example" not in page
    page = client.get("/auth/login?next=/orders").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/orders"' in page

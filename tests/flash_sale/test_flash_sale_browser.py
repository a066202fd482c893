"""A real browser buys in a flash sale: the status changes to the order without a reload."""

import re

import pytest
from playwright.sync_api import expect

from tests.auth.helpers import wait_for_code
from tests.flash_sale.helpers import make_sale, orders_of


@pytest.mark.browser
def test_buying_in_a_browser_shows_the_order_without_reloading(
    app, page, live_server, celery_worker, settings, screenshot_path
):
    sale_id = make_sale(app, stock=3, name="Browser kettle")
    # Log in through the SMS login page, reading the code from the file outbox.
    page.goto(f"{live_server.url}/auth/login?next=/flash-sales/{sale_id}")
    page.fill("#send-phone", "138 1234 5678")
    page.click("#send-code")
    page.fill("#code", wait_for_code(settings["SMS_OUTBOX_PATH"], "+8613812345678"))
    page.click("#log-in")
    page.wait_for_url(f"{live_server.url}/flash-sales/{sale_id}")

    expect(page.locator("[data-countdown]")).to_contain_text("Ends in")
    expect(page.locator("[data-stock-left]")).to_have_text("3")
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    page.get_by_role("button", name="Buy now").click()

    status = page.locator("[data-buy-status]")
    expect(status).to_contain_text(re.compile("Queued|Creating|Sending"))
    expect(status).to_contain_text(re.compile(r"Order #\d+ created — pay within 15 minutes"), timeout=20000)
    assert page.evaluate("window.sameDocument") is True
    expect(page.locator("[data-stock-left]")).to_have_text("2", timeout=10000)
    expect(page.locator("[data-feed]")).to_contain_text("138****5678 bought Browser kettle", timeout=10000)
    expect(page.get_by_role("button", name="Buy now")).to_be_disabled()
    page.screenshot(path=screenshot_path("flash-sale-bought"))

    [(order_id, *_)] = orders_of(app, sale_id)
    page.get_by_role("link", name="My orders").click()
    row = page.locator(f'tr[data-order-id="{order_id}"]')
    expect(row).to_contain_text("Browser kettle")
    expect(row).to_contain_text("pending")
    row.get_by_role("button", name="Pay now").click()
    expect(page.locator(f'tr[data-order-id="{order_id}"]')).to_contain_text("paid")
    page.screenshot(path=screenshot_path("flash-sale-orders"))

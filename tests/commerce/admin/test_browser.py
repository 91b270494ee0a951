"""A manager in a real browser: log in, open the orders, change a status, export.

Headless Chromium driven by Selenium; Debian's ``chromium`` and ``chromium-driver``
packages (installed by .ci/run). Skipped where they are missing.
"""

import time
from pathlib import Path

import pytest

from commerce.enums import OrderStatus, PaymentStatus, UserRole
from commerce.orders.models import Order
from tests.browser import chromium_start, needs_browser
from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory
from tests.commerce.report_fixtures import at, order_make

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed"
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = [pytest.mark.browser, needs_browser]


@pytest.fixture
def browser(tmp_path):
    driver = chromium_start(window_size="1280,900", downloads=tmp_path)
    driver.download_dir = tmp_path
    yield driver
    driver.quit()


def _wait_for_file(directory: Path, pattern: str, seconds: float = 15) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [
            p for p in directory.glob(pattern) if not p.name.endswith(".crdownload")
        ]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {pattern} downloaded to {directory}")


def test_a_manager_changes_an_order_status_and_downloads_an_export(
    committed_db, live_server, browser
):
    # given
    manager = UserFactory(email="browser-manager@example.com", role=UserRole.MANAGER)
    customer = UserFactory(email="browser-customer@example.com", role=UserRole.CUSTOMER)
    # Paid: an unpaid order cannot move on to processing.
    order = order_make(
        customer=customer,
        created_at=at("2026-03-01T10:00:00"),
        payment_status=PaymentStatus.PAID,
    )
    wait = WebDriverWait(browser, 15)

    # when: log in
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(manager.email)
    browser.find_element(By.NAME, "password").send_keys(DEFAULT_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(expected_conditions.url_to_be(f"{live_server.url}/admin/"))

    # and open the order list, then the order
    browser.get(f"{live_server.url}/admin/commerce/order/")
    wait.until(
        expected_conditions.presence_of_element_located(
            (By.PARTIAL_LINK_TEXT, "Inspect")
        )
    )
    assert order.number in browser.page_source
    browser.find_element(By.PARTIAL_LINK_TEXT, "Inspect").click()

    # and move it to processing (the button may sit below the fold)
    button = wait.until(
        expected_conditions.presence_of_element_located(
            (By.CSS_SELECTOR, "[data-transition=processing]")
        )
    )
    wait.until(expected_conditions.element_to_be_clickable(button))
    # Scrolled to and clicked as the editor journey does: Wagtail's sticky footer
    # can cover the button at this window size.
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", button
    )
    wait.until(
        expected_conditions.text_to_be_present_in_element(
            (By.TAG_NAME, "body"), "is now processing"
        )
    )

    # and download a CSV export of the list
    browser.get(f"{live_server.url}/admin/commerce/order/")
    wait.until(
        expected_conditions.element_to_be_clickable(
            (By.CSS_SELECTOR, "[data-export=csv]")
        )
    ).click()
    downloaded = _wait_for_file(browser.download_dir, "orders-*.csv")

    # then
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PROCESSING
    lines = downloaded.read_text().splitlines()
    assert lines[0].startswith("order_number,created_at,status")
    assert lines[1].startswith(f"{order.number},")
    assert ",processing," in lines[1]

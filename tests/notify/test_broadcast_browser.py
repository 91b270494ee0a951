"""A manager sends a message from the admin in a real browser: preview, then send."""

import pytest

from commerce.enums import UserRole
from notify.models import Notification
from tests.browser import chromium_start, needs_browser
from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory
from tests.notify.helpers import outbox_drain

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed"
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = [pytest.mark.browser, needs_browser]


@pytest.fixture
def browser():
    driver = chromium_start(window_size="1280,1400")
    yield driver
    driver.quit()


def test_a_manager_previews_and_sends_a_message_to_all_customers(
    committed_db, live_server, browser, tmp_path
):
    # given
    manager = UserFactory(email="boss@example.com", role=UserRole.MANAGER)
    customers = [UserFactory(role=UserRole.CUSTOMER) for _ in range(2)]
    wait = WebDriverWait(browser, 20)
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(manager.email)
    browser.find_element(By.NAME, "password").send_keys(DEFAULT_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(expected_conditions.url_to_be(f"{live_server.url}/admin/"))

    # when: the manager opens Send message from the notifications list
    browser.get(f"{live_server.url}/admin/notifications/")
    browser.find_element(By.LINK_TEXT, "Send message").click()
    wait.until(expected_conditions.presence_of_element_located((By.NAME, "title")))
    browser.find_element(By.NAME, "title").send_keys("Summer sale")
    browser.find_element(By.NAME, "body").send_keys("Everything 20% off")
    browser.find_element(By.CSS_SELECTOR, "input[value=email]").click()
    browser.find_element(By.NAME, "preview").click()
    preview = wait.until(
        expected_conditions.presence_of_element_located(
            (By.CSS_SELECTOR, "[data-broadcast-preview]")
        )
    )
    browser.save_screenshot(str(tmp_path / "send_message_preview.png"))

    # then: the preview shows the message and its reach, and nothing is sent yet
    assert "Goes to 2 recipients, on email, in_app." in preview.text
    assert "Summer sale" in preview.text
    assert not Notification.objects.exists()

    # when: the manager sends it
    browser.find_element(By.NAME, "send").click()
    wait.until(expected_conditions.url_to_be(f"{live_server.url}/admin/notifications/"))
    outbox_drain()

    # then
    assert "Message queued for 2 recipients." in browser.page_source
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        c.pk for c in customers
    }

"""The Content-Security-Policy in a real browser: admin, site and API docs work under it.

Headless Chromium (Debian ``chromium`` + ``chromium-driver``) reports every policy
violation in its console; none may appear. Skipped where the browser is missing.
"""

import os

import pytest

from commerce.enums import UserRole
from tests.browser import chromium_start, needs_browser
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed"
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# Set to a folder to keep a screenshot of every page visited.
SCREENSHOT_DIR = os.environ.get("CSP_SCREENSHOT_DIR")

pytestmark = [pytest.mark.browser, needs_browser]


@pytest.fixture
def browser():
    driver = chromium_start(window_size="1280,900")
    yield driver
    driver.quit()


def _violations(browser) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"]
        or "Content-Security-Policy" in entry["message"]
    ]


def _visit(browser, url: str, name: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 20).until(
        lambda driver: driver.execute_script("return document.readyState") == "complete"
    )
    if SCREENSHOT_DIR:
        browser.save_screenshot(os.path.join(SCREENSHOT_DIR, f"{name}.png"))


def test_admin_site_and_api_docs_run_under_the_policy(
    committed_db, live_server, browser
):
    # given
    administrator = UserFactory(
        email="csp-admin@example.com", role=UserRole.ADMINISTRATOR
    )
    category = category_make("Mugs")
    product = product_make(category, title="Blue mug", price="9.00", stock=4)
    wait = WebDriverWait(browser, 20)

    # when: log in to the admin
    _visit(browser, f"{live_server.url}/admin/login/", "admin-login")
    browser.find_element(By.NAME, "username").send_keys(administrator.email)
    browser.find_element(By.NAME, "password").send_keys(DEFAULT_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait.until(expected_conditions.url_to_be(f"{live_server.url}/admin/"))

    # and open the pages an editor uses most, with their scripts
    pages = {
        "admin-dashboard": "/admin/",
        "admin-explorer": f"/admin/pages/{category.pk}/",
        "admin-product-edit": f"/admin/pages/{product.pk}/edit/",
        "admin-images": "/admin/images/",
        "admin-orders": "/admin/commerce/order/",
    }
    for name, path in pages.items():
        _visit(browser, f"{live_server.url}{path}", name)
    # the page editor's JavaScript ran: its tabs and the title field are there
    _visit(browser, f"{live_server.url}/admin/pages/{product.pk}/edit/", "editor")
    wait.until(
        expected_conditions.visibility_of_element_located(
            (By.CSS_SELECTOR, "[data-controller~='w-tabs'] [role=tab]")
        )
    )
    admin_violations = _violations(browser)

    # and the site and the API docs
    _visit(browser, f"{live_server.url}{product.url}", "site-product")
    _visit(browser, f"{live_server.url}/api/docs/", "api-docs-loading")
    wait.until(
        expected_conditions.presence_of_element_located(
            (By.CSS_SELECTOR, ".swagger-ui .info")
        )
    )
    if SCREENSHOT_DIR:
        browser.save_screenshot(os.path.join(SCREENSHOT_DIR, "api-docs.png"))
    site_violations = _violations(browser)

    # then
    assert admin_violations == []
    assert site_violations == []

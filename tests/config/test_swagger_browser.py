"""Swagger UI in a real browser: authorize with a bearer token, then "Try it out"."""

import pytest

from commerce.accounts.services.tokens import token_pair_issue
from commerce.enums import UserRole
from tests.browser import chromium_start, needs_browser
from tests.commerce.factories import UserFactory

pytestmark = [pytest.mark.browser, needs_browser]

# The Authorize dialog's box of the bearer scheme.
JWT_CONTAINER = "//div[contains(@class,'auth-container')][.//h4[contains(., 'jwt')]]"


@pytest.fixture
def browser():
    driver = chromium_start()
    yield driver
    driver.quit()


def _scrolled_to(browser, element_id: str):
    """The element once rendered, scrolling a screen further down each time not."""
    found = browser.find_elements("id", element_id)
    if found:
        browser.execute_script("arguments[0].scrollIntoView()", found[0])
        return found[0]
    browser.execute_script("window.scrollBy(0, window.innerHeight)")
    return None


def _responses_status(operation) -> str:
    cells = operation.find_elements(
        "css selector", ".live-responses-table tbody .response-col_status"
    )
    return cells[0].text.strip() if cells else ""


@pytest.mark.usefixtures("committed_db")
def test_swagger_ui_authorizes_with_a_bearer_token_and_gets_the_profile(
    live_server, browser, tmp_path
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    # given: a customer's access token, as POST /api/users/login returns it
    customer = UserFactory(email="swagger-user@example.com", role=UserRole.CUSTOMER)
    token = token_pair_issue(user=customer)["access_token"]
    wait = WebDriverWait(browser, 60)
    browser.get(f"{live_server.url}/api/docs/")
    # Swagger UI renders the operations of a tag as it scrolls into view.
    operation_id = "operations-users-users_profile_retrieve"
    wait.until(lambda d: _scrolled_to(d, operation_id))

    # when: Authorize, the token in the JWT (bearer) scheme, Authorize, Close
    browser.find_element(By.CSS_SELECTOR, ".auth-wrapper button.authorize").click()
    jwt_box = wait.until(ec.visibility_of_element_located((By.XPATH, JWT_CONTAINER)))
    jwt_box.find_element(By.CSS_SELECTOR, "input").send_keys(token)
    jwt_box.find_element(By.CSS_SELECTOR, "button.authorize").click()
    authorized = wait.until(
        ec.visibility_of_element_located(
            (By.XPATH, f"{JWT_CONTAINER}[.//h6[normalize-space()='Authorized']]")
        )
    )
    browser.save_screenshot(str(tmp_path / "authorized.png"))
    authorized.find_element(By.CSS_SELECTOR, "button.btn-done").click()
    wait.until(ec.invisibility_of_element_located((By.CSS_SELECTOR, ".modal-ux")))

    # and GET /api/users/profile: Try it out, Execute (found again: the list renders
    # again as it scrolls)
    wait.until(lambda d: _scrolled_to(d, operation_id))

    def operation():
        return browser.find_element(By.ID, operation_id)

    operation().find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    wait.until(
        lambda d: operation().find_elements(By.CSS_SELECTOR, "button.try-out__btn")
    )[0].click()
    wait.until(lambda d: operation().find_elements(By.CSS_SELECTOR, "button.execute"))[
        0
    ].click()
    status = wait.until(lambda d: _responses_status(operation()))
    browser.execute_script("arguments[0].scrollIntoView()", operation())
    browser.save_screenshot(str(tmp_path / "profile.png"))

    # then: 200 with the customer's profile, sent with the bearer token
    assert status == "200"
    body = (
        operation()
        .find_element(
            By.CSS_SELECTOR, ".live-responses-table tbody .response-col_description"
        )
        .text
    )
    assert customer.email in body
    curl = operation().find_element(By.CSS_SELECTOR, ".curl-command").text
    assert f"Authorization: Bearer {token}" in curl

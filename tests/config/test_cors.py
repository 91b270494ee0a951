"""CORS: browser frontends on allowed origins call the API; other origins are refused."""

import json
import runpy
from pathlib import Path

import pytest
from django.test import Client

from commerce.enums import UserRole
from commerce.orders.models import Order
from tests.browser import chromium_start, needs_browser, page_origin
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import DEFAULT_PASSWORD, UserFactory
from tests.commerce.fixtures import ADDRESS

FRONTEND = "https://shop.example.com"
BASE_SETTINGS = Path(__file__).resolve().parents[2] / "config/settings/base.py"


def _preflight(path: str, origin: str, method: str = "POST", headers: str = ""):
    extra = {"HTTP_ACCESS_CONTROL_REQUEST_HEADERS": headers} if headers else {}
    return Client().options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        **extra,
    )


def test_cors_is_off_by_default(monkeypatch):
    monkeypatch.delenv("CORS_ALLOWED_ORIGINS", raising=False)
    monkeypatch.delenv("CORS_ALLOWED_ORIGIN_REGEXES", raising=False)

    base = runpy.run_path(str(BASE_SETTINGS))

    assert base["CORS_ALLOWED_ORIGINS"] == []
    assert base["CORS_ALLOWED_ORIGIN_REGEXES"] == []
    assert base["MIDDLEWARE"][0] == "corsheaders.middleware.CorsMiddleware"


def test_origins_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(
        "CORS_ALLOWED_ORIGINS", "https://shop.example.com,http://localhost:3000"
    )
    monkeypatch.setenv("CORS_ALLOWED_ORIGIN_REGEXES", r"^https://\w+\.example\.com$")

    base = runpy.run_path(str(BASE_SETTINGS))

    assert base["CORS_ALLOWED_ORIGINS"] == [
        "https://shop.example.com",
        "http://localhost:3000",
    ]
    assert base["CORS_ALLOWED_ORIGIN_REGEXES"] == [r"^https://\w+\.example\.com$"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/users/login",
        "/api/orders",
        "/api/products",
        "/o/token/",
        "/o/revoke_token/",
    ],
)
def test_a_preflight_from_an_allowed_origin_is_answered(settings, path):
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND]

    response = _preflight(
        path,
        FRONTEND,
        headers="authorization, content-type, idempotency-key, if-none-match, "
        "x-cart-token",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {
        "authorization",
        "content-type",
        "idempotency-key",
        "if-none-match",
        "x-cart-token",
    } <= allowed
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
def test_an_origin_matching_a_regex_is_allowed(settings):
    settings.CORS_ALLOWED_ORIGIN_REGEXES = [
        r"^https://[a-z0-9-]+\.preview\.example\.com$"
    ]

    allowed = _preflight("/api/users/login", "https://pr-12.preview.example.com")
    refused = _preflight("/api/users/login", "https://pr-12.preview.example.com.evil")

    assert allowed["Access-Control-Allow-Origin"] == "https://pr-12.preview.example.com"
    assert "Access-Control-Allow-Origin" not in refused


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "origin"),
    [
        ("/api/users/login", "https://evil.example.com"),
        ("/api/users/login", "http://shop.example.com"),
        # Outside CORS_URLS_REGEX: the admin and the pages answer no origin.
        ("/admin/login/", FRONTEND),
        ("/o/authorize/", FRONTEND),
    ],
    ids=["other_origin", "other_scheme", "admin", "authorize"],
)
def test_other_origins_and_paths_get_no_cors_headers(settings, path, origin):
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND]

    response = _preflight(path, origin)

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Methods" not in response


@pytest.mark.django_db
def test_responses_expose_the_headers_a_frontend_reads(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND]
    product_make(category_make(), title="Lamp")

    response = Client().get("/api/products", HTTP_ORIGIN=FRONTEND)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {"ETag", "Retry-After", "Location"}
    assert response["ETag"]


# A REAL BROWSER ON ANOTHER ORIGIN

FRONTEND_PAGE = """<!doctype html>
<html><head><title>Frontend</title></head><body>
<h1>Another origin</h1><pre id="log"></pre>
<script>
const api = new URLSearchParams(location.search).get("api");
const log = (line) => { document.getElementById("log").textContent += line + "\\n"; };
async function shop() {
  const login = await fetch(api + "/api/users/login", {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(%(credentials)s),
  });
  log("login " + login.status);
  const tokens = await login.json();
  const auth = {"Authorization": "Bearer " + tokens.access_token};
  const profile = await fetch(api + "/api/users/profile", {headers: auth});
  const email = (await profile.json()).email;
  log("profile " + profile.status + " " + email);
  const order = await fetch(api + "/api/orders", {
    method: "POST",
    headers: {...auth, "Content-Type": "application/json", "Idempotency-Key": "k-1"},
    body: JSON.stringify(%(order)s),
  });
  const placed = await order.json();
  log("order " + order.status + " " + placed.number);
  const products = await fetch(api + "/api/products");
  log("etag " + (products.headers.get("ETag") ? "readable" : "hidden"));
  return {login: login.status, profile: profile.status, email: email,
          order: order.status, number: placed.number};
}
shop().then(
  (result) => { window.outcome = {ok: true, result: result}; },
  (error) => { window.outcome = {ok: false, error: String(error)}; log(error); },
);
</script></body></html>
"""


@pytest.fixture
def browser():
    driver = chromium_start()
    yield driver
    driver.quit()


def _outcome(driver) -> dict:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return window.outcome")
    )


@pytest.mark.parametrize("allowed", [True, False], ids=["allowed", "not_allowed"])
@pytest.mark.usefixtures("committed_db")
@pytest.mark.browser
@needs_browser
def test_a_page_on_another_origin_logs_in_reads_the_profile_and_orders(
    live_server, browser, settings, tmp_path, allowed
):
    # given: a customer, a product, and a frontend page on its own origin
    customer = UserFactory(email="cors-shopper@example.com", role=UserRole.CUSTOMER)
    product = product_make(category_make(), title="Lamp", price="9.00", stock=3)
    page = FRONTEND_PAGE % {
        "credentials": json.dumps(
            {"email": customer.email, "password": DEFAULT_PASSWORD}
        ),
        "order": json.dumps(
            {
                "lines": [{"product": product.pk, "quantity": 1}],
                "shipping_address": ADDRESS,
            }
        ),
    }

    with page_origin(page) as origin:
        settings.CORS_ALLOWED_ORIGINS = [origin] if allowed else [FRONTEND]

        # when
        browser.get(f"{origin}/?api={live_server.url}")
        outcome = _outcome(browser)
        browser.save_screenshot(str(tmp_path / "frontend.png"))
        log = browser.find_element("id", "log").text

    # then
    if allowed:
        assert outcome["ok"], (outcome, log)
        assert outcome["result"]["login"] == 200
        assert outcome["result"]["profile"] == 200
        assert outcome["result"]["email"] == customer.email
        assert outcome["result"]["order"] == 201
        assert (
            Order.objects.get(customer=customer).number == outcome["result"]["number"]
        )
        assert "etag readable" in log
    else:
        # The browser rejects the fetch: no Access-Control-Allow-Origin came back.
        assert outcome == {"ok": False, "error": "TypeError: Failed to fetch"}
        assert not Order.objects.filter(customer=customer).exists()

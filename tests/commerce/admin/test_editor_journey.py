"""An editor's journey in a real browser on the real server, start to finish.

Log in as the demo manager, create a product with an uploaded picture, five in stock
and two customizations, schedule it, preview it, let the worker's task publish it,
find it in the API, order it with an image choice through the API, open the order
in the admin and approve it. Each step leaves a screenshot under the test's
temporary directory, named in the failure message.
"""

import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import requests
import time_machine
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from commerce.catalogue.models import ProductPage
from commerce.enums import OrderStatus, PaymentStatus
from commerce.management.commands.demo_setup import DEMO_ACCOUNTS
from commerce.orders.models import Order
from commerce.tasks import scheduled_revisions_publish_task
from tests.browser import chromium_start, needs_browser
from tests.commerce.catalogue_factories import category_make
from tests.commerce.fixtures import ADDRESS
from tests.customization.builders import customization_make

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed"
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = [pytest.mark.browser, needs_browser]

MANAGER = next(account for account in DEMO_ACCOUNTS if account.role == "manager")
CUSTOMER = next(account for account in DEMO_ACCOUNTS if account.role == "customer")
LOADED = "return arguments[0].complete && arguments[0].naturalWidth > 0"
# Wagtail's editor form saves changes in the background ("autosave"). From here on,
# window.journeyAutosave tells whether an autosave is under way (``saving``) and the
# value of one field in the form data the editor counts as saved (``kept``): its
# baseline for spotting new edits, reset after each successful autosave. Returns
# false when the form does not autosave.
AUTOSAVE_RECORD = """
const [form, field] = arguments;
if (!(form.dataset.controller || "").split(/\\s+/).includes("w-autosave")) {
    return false;
}
const indicator = document.getElementById("w-autosave-indicator");
const autosave = {
    saving: indicator?.dataset.wAutosaveStateValue === "saving",
    kept: undefined,
};
window.journeyAutosave = autosave;
form.addEventListener("w-autosave:save", () => { autosave.saving = true; });
for (const outcome of ["success", "error"]) {
    form.addEventListener(`w-autosave:${outcome}`, () => { autosave.saving = false; });
}
form.addEventListener("w-unsaved:watch-edits", (event) => {
    autosave.kept = new URLSearchParams(event.detail.initialFormData).get(field);
});
return true;
"""
AUTOSAVE_SETTLED = (
    "const autosave = window.journeyAutosave;"
    "return !autosave.saving && autosave.kept === arguments[0];"
)


@pytest.fixture
def browser(tmp_path):
    driver = chromium_start(window_size="1400,1000")
    yield driver
    driver.quit()


@pytest.fixture
def media_on_disk(settings, tmp_path):
    """Files in tmp_path, served under /media/ by the app, so renditions load."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media), "base_url": settings.MEDIA_URL},
        },
    }
    return media


class Journey:
    """Runs the steps; screenshots each one, and the failing one, into a folder."""

    def __init__(self, driver, folder: Path):
        self.driver = driver
        self.folder = folder
        self.folder.mkdir()
        self.count = 0
        # Generous: CI machines and a full parallel run are slow.
        self.wait = WebDriverWait(driver, 60)

    @contextmanager
    def step(self, name: str):
        self.count += 1
        label = f"{self.count:02d}-{name}"
        try:
            yield
        except Exception as error:
            self.driver.switch_to.default_content()
            self.driver.save_screenshot(str(self.folder / f"{label}-failed.png"))
            raise AssertionError(
                f"step {label} failed ({error!r}); screenshots in {self.folder}"
            ) from error
        self.driver.save_screenshot(str(self.folder / f"{label}.png"))

    def find(self, css: str):
        return self.wait.until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
        )

    def visible(self, css: str):
        return self.wait.until(
            expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css))
        )

    def click(self, element_or_css):
        element = (
            self.wait.until(
                expected_conditions.element_to_be_clickable(
                    (By.CSS_SELECTOR, element_or_css)
                )
            )
            if isinstance(element_or_css, str)
            else element_or_css
        )
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
            element,
        )

    def type_into(self, css: str, text: str):
        fields = [
            field
            for field in self.driver.find_elements(By.CSS_SELECTOR, css)
            if field.is_displayed()
        ]
        assert fields, f"no visible {css}"
        fields[0].clear()
        fields[0].send_keys(text)

    def autosave_record(self, form, field: str) -> bool:
        """Start recording what the editor ``form`` autosaves of ``field``; False
        when the form does not autosave."""
        return self.driver.execute_script(AUTOSAVE_RECORD, form, field)

    def autosave_settled(self, value: str) -> None:
        """Wait until no autosave is under way and the editor counts the recorded
        field's ``value`` as saved (autosave_record): no autosave is left to come."""
        self.wait.until(lambda driver: driver.execute_script(AUTOSAVE_SETTLED, value))

    def replaced(self, element) -> None:
        """Wait until the page holding ``element`` is gone and the next has loaded."""
        self.wait.until(expected_conditions.staleness_of(element))
        self.wait.until(
            lambda driver: (
                driver.execute_script("return document.readyState") == "complete"
            )
        )

    def message(self, text: str) -> None:
        """Wait for ``text`` among the admin's messages."""
        self.wait.until(
            expected_conditions.text_to_be_present_in_element(
                (By.CSS_SELECTOR, ".messages"), text
            )
        )

    def image_loads(self, element) -> None:
        self.wait.until(lambda driver: driver.execute_script(LOADED, element))

    def modal_closed(self):
        self.wait.until(
            expected_conditions.invisibility_of_element_located(
                (By.CSS_SELECTOR, ".modal")
            )
        )

    def choose_snippet(self, name: str):
        self.visible(".modal")
        link = self.wait.until(
            lambda driver: driver.find_element(By.CSS_SELECTOR, ".modal").find_element(
                By.PARTIAL_LINK_TEXT, name
            )
        )
        self.click(link)
        self.modal_closed()


def test_an_editor_creates_schedules_previews_and_publishes_a_product_then_fulfils_its_order(
    committed_db, live_server, browser, media_on_disk, tmp_path
):
    # given: the demo logins, a category, and two customizations in the library
    call_command("demo_setup", verbosity=0)
    category = category_make("Lamps")
    shade = customization_make("color", name="Shade colour")
    motif = customization_make("image", name="Lampshade motif", needs_approval=True)
    picture = tmp_path / "aurora.png"
    Image.new("RGB", (640, 480), (30, 120, 200)).save(picture)
    journey = Journey(browser, tmp_path / "screenshots")
    base = live_server.url

    with journey.step("log-in"):
        browser.get(f"{base}/admin/login/")
        journey.type_into("input[name=username]", MANAGER.email)
        journey.type_into("input[name=password]", MANAGER.password)
        journey.click("form button[type=submit]")
        journey.wait.until(expected_conditions.url_to_be(f"{base}/admin/"))

    with journey.step("create-product"):
        browser.get(f"{base}/admin/pages/add/commerce/productpage/{category.pk}/")
        journey.type_into("#id_title", "Aurora lamp")
        journey.type_into("#id_price", "49.90")
        journey.type_into("#id_compare_at_price", "59.90")
        journey.type_into("#id_sku", "AURORA-1")
        journey.type_into("#id_stock_quantity", "5")

    with journey.step("upload-picture"):
        journey.click("#id_gallery_images-ADD")
        journey.click("#id_gallery_images-FORMS [data-chooser-action-choose]")
        journey.visible(".modal")
        journey.click(journey.visible(".modal #tab-label-upload"))
        journey.type_into("#id_image-chooser-upload-title", "Aurora lamp")
        journey.find("#id_image-chooser-upload-file").send_keys(str(picture))
        journey.click(".modal form button[type=submit]")
        journey.modal_closed()
        assert journey.find("#id_gallery_images-0-image").get_attribute("value")

    with journey.step("attach-customizations"):
        for index, name in enumerate([shade.name, motif.name]):
            add_buttons = browser.find_elements(
                By.CSS_SELECTOR, "[data-contentpath=customizations] .c-sf-add-button"
            )
            journey.click(add_buttons[-1])
            journey.click(
                f"[data-contentpath=customizations] "
                f"#customizations-{index}-value-customization-chooser "
                f"[data-chooser-action-choose]"
            )
            journey.choose_snippet(name)
        chosen = [
            journey.find(f"#customizations-{index}-value-customization").get_attribute(
                "value"
            )
            for index in range(2)
        ]
        assert chosen == [str(shade.pk), str(motif.pk)]

    go_live_at = (timezone.localtime() + timedelta(minutes=10)).replace(
        second=0, microsecond=0
    )
    with journey.step("schedule"):
        journey.click("[data-side-panel-toggle=status]")
        journey.click(
            journey.wait.until(
                lambda driver: driver.find_element(
                    By.XPATH, "//button[normalize-space()='Set schedule']"
                )
            )
        )
        go_live = journey.visible("#id_go_live_at")
        editor = journey.find("[data-edit-form]")
        autosaves = journey.autosave_record(editor, "go_live_at")
        browser.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            go_live,
            go_live_at.strftime("%Y-%m-%d %H:%M"),
        )
        if autosaves:
            # The editor autosaves the new schedule a second or so later. Submitted
            # before that, the dialog's draft save races it: an autosave landing
            # after the draft save re-dates the older revision it overwrites, and the
            # reloaded editor then takes it for a newer version saved elsewhere and
            # stops "Schedule to publish" with "You saved a new version in another
            # window". So: no autosave under way, and none left to come.
            journey.autosave_settled(go_live.get_attribute("value"))
        journey.click("#schedule-publishing-dialog button[type=submit]")
        # The autosave of the new product already put /edit/ in the address: wait
        # for the draft save to replace the page instead.
        journey.replaced(editor)
        product = ProductPage.objects.get(sku="AURORA-1")
        journey.wait.until(
            expected_conditions.url_to_be(f"{base}/admin/pages/{product.pk}/edit/")
        )
        journey.message("'Aurora lamp' has been updated")
        editor = journey.find("[data-edit-form]")
        journey.click(journey.find("button[name=action-publish]"))
        journey.replaced(editor)
        journey.message("'Aurora lamp' has been scheduled for publishing")
        product.refresh_from_db()
        assert product.live is False
        assert product.get_latest_revision().approved_go_live_at == go_live_at
        assert product.stock.quantity == 5
        assert (
            requests.get(f"{base}/api/products/{product.pk}", timeout=30).status_code
            == 404
        )

    with journey.step("preview"):
        browser.get(f"{base}/admin/pages/{product.pk}/edit/")
        journey.click("[data-side-panel-toggle=preview]")
        journey.wait.until(
            lambda driver: driver.find_element(
                By.CSS_SELECTOR, "iframe[data-w-preview-target=iframe]"
            ).get_attribute("src")
        )
        time.sleep(1)  # the panel swaps in a freshly loaded iframe
        browser.switch_to.frame(journey.find("iframe[data-w-preview-target=iframe]"))
        journey.image_loads(journey.find(".gallery-main img"))
        assert journey.find(".price").text == "€49.90"
        assert journey.find("s.was").text == "€59.90"
        assert "only 5 left" in journey.find(".availability").text
        assert len(browser.find_elements(By.CSS_SELECTOR, ".swatch")) == 2
        choices = browser.find_elements(By.CSS_SELECTOR, ".image-choice img")
        assert len(choices) == 2
        for image in choices:
            journey.image_loads(image)
        browser.switch_to.default_content()

    with journey.step("published-by-the-worker"):
        with time_machine.travel(go_live_at + timedelta(minutes=1)):
            scheduled_revisions_publish_task()
        product.refresh_from_db()
        assert product.live is True

    with journey.step("found-in-the-api"):
        item = requests.get(f"{base}/api/products/{product.pk}", timeout=30).json()
        assert item["stock"] == {"quantity": 5, "in_stock": True}
        assert [c["id"] for c in item["customizations"]] == [shade.pk, motif.pk]
        browser.get_log("browser")  # forget the admin's messages
        browser.get(f"{base}{product.url}")
        journey.image_loads(journey.find(".gallery-main img"))
        errors = [
            entry["message"]
            for entry in browser.get_log("browser")
            if entry["level"] == "SEVERE"
        ]
        assert errors == []  # nothing blocked by the site's security policy

    with journey.step("order-through-the-api"):
        login = requests.post(
            f"{base}/api/users/login",
            json={"email": CUSTOMER.email, "password": CUSTOMER.password},
            timeout=30,
        )
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        options = {c["id"]: c["options"] for c in item["customizations"]}
        placed = requests.post(
            f"{base}/api/orders",
            json={
                "lines": [
                    {
                        "product": product.pk,
                        "quantity": 1,
                        "customizations": [
                            {
                                "customization": shade.pk,
                                "value": options[shade.pk][0]["id"],
                            },
                            {
                                "customization": motif.pk,
                                "value": options[motif.pk][1]["id"],
                            },
                        ],
                    }
                ],
                "shipping_address": ADDRESS,
            },
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert placed.status_code == 201, placed.text
        # Paid on delivery: an unpaid order cannot be approved into processing.
        paid = requests.post(
            f"{base}/api/orders/{placed.json()['id']}/pay",
            json={"gateway": "cash_on_delivery"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert paid.status_code == 200, paid.text
        order = Order.objects.get(pk=placed.json()["id"])
        assert order.status == OrderStatus.UNDER_REVIEW
        assert order.payment_status == PaymentStatus.AUTHORIZED
        assert product.stock.__class__.objects.get(product=product).quantity == 4

    with journey.step("order-in-the-admin"):
        inspect = f"{base}/admin/commerce/order/inspect/{order.pk}/"
        session = requests.Session()
        for cookie in browser.get_cookies():
            session.cookies.set(cookie["name"], cookie["value"])
        assert session.get(inspect, timeout=30).status_code == 200
        browser.get(inspect)
        thumbnail = journey.find("[data-choice-kind=image] img[data-choice-image]")
        browser.execute_script("arguments[0].scrollIntoView()", thumbnail)
        journey.image_loads(thumbnail)
        assert "Stars" in journey.find("[data-choice-kind=image]").text

    with journey.step("approve"):
        journey.click("[data-transition=processing]")
        journey.find("[data-order-status=processing]")
        order.refresh_from_db()
        assert order.status == OrderStatus.PROCESSING

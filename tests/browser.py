"""Headless Chromium for browser tests, and a second origin to serve pages from.

Debian's ``chromium`` and ``chromium-driver`` packages (installed by .ci/run); tests
that use them carry ``needs_browser`` and are skipped where they are missing.
"""

import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# With ``@pytest.mark.browser`` on every test that drives Chromium.
needs_browser = pytest.mark.skipif(
    not (CHROMEDRIVER and CHROMIUM),
    reason="no chromium/chromedriver (apt-get install chromium chromium-driver)",
)


def chromium_start(*, window_size: str = "1280,1000", downloads=None):
    """A headless Chromium (selenium.webdriver.Chrome); files it downloads go to
    ``downloads`` when given."""
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium is not installed"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        f"--window-size={window_size}",
    ):
        options.add_argument(argument)
    # Console messages (the pages' own logs) are kept for failure messages.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if downloads is not None:
        options.add_experimental_option(
            "prefs",
            {
                "download.default_directory": str(downloads),
                "download.prompt_for_download": False,
            },
        )
    driver = webdriver.Chrome(
        service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options
    )
    if downloads is not None:
        driver.execute_cdp_cmd(
            "Page.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(downloads)},
        )
    return driver


@contextmanager
def page_origin(html: str) -> Iterator[str]:
    """Serve ``html`` at ``/`` from 127.0.0.1 on a free port: another origin.

    Yields the origin (``http://127.0.0.1:<port>``); the server stops on exit.
    """
    body = html.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

"""The real headless Chromium the site's browser tests share: a driver, a page opener.

Needs Debian's `chromium` and `chromium-driver` (scripts/install-system-deps.sh installs them)
and the `selenium` package. conftest.py makes :func:`driver` a fixture of every test module;
screenshots go to :data:`ARTIFACTS`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from mmkg.paths import PROJECT_ROOT

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)
# Recorded instead of shown, so a dialog a hostile label might open is caught and cannot block.
TRAP_DIALOGS = """
window.__dialogs = [];
["alert", "confirm", "prompt"].forEach(function (name) {
  window[name] = function (message) { window.__dialogs.push(name + ": " + message); };
});
"""
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def start_driver(tmp_path_factory: pytest.TempPathFactory, width: int = 1400, height: int = 1000):  # noqa: ANN201
    """A headless Chromium with a fresh profile and browser logs on, *width* x *height*."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail(
            "needs /usr/bin/chromium and /usr/bin/chromedriver: run "
            "sh scripts/install-system-deps.sh (the README's commands do)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.set_capability("unhandledPromptBehavior", "ignore")
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP_DIALOGS})
    browser.set_window_size(width, height)
    return browser


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """One headless Chromium for the module."""
    browser = start_driver(tmp_path_factory)
    yield browser
    browser.quit()


def open_page(driver, path: Path) -> dict:  # noqa: ANN001 - a selenium WebDriver
    """Load *path* over file:// and report console errors, requests and failed loads."""
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.as_uri())
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    requests, failed = [], []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.loadingFailed":
            failed.append(message["params"])
    return {"errors": errors, "requests": requests, "failed": failed}


def dialogs(driver) -> list[str]:  # noqa: ANN001 - a selenium WebDriver
    """Dialogs the page tried to open (trapped), plus any real one still showing."""
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        return [f"dialog shown: {text}"]
    except NoAlertPresentException:
        pass
    return driver.execute_script("return window.__dialogs || []")

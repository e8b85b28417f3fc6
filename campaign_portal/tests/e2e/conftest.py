"""A real browser (Debian's chromium, driven by Playwright) against the live portal.

Outside CI, without a browser, these tests skip with a message; in CI they must run.
"""

import os
import shutil

import pytest

from campaign_portal.collation import pinyin_sort_key
from unions.reference import load_reference_data

# Quiet, offline-friendly flags: no background calls to outside hosts, which these machines refuse.
BROWSER_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW_TO_ENABLE = (
    "no chromium for the browser tests: install Debian's chromium package (make test does it when run as root "
    "where apt is available) or point PORTAL_BROWSER at a Chromium binary"
)


def browser_path():
    explicit = os.environ.get("PORTAL_BROWSER")
    if explicit:
        return explicit
    return next(filter(None, (shutil.which(name) for name in ("chromium", "chromium-browser"))), None)


@pytest.fixture(scope="session")
def browser():
    path = browser_path()
    if path is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(HOW_TO_ENABLE)
        pytest.skip(HOW_TO_ENABLE)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=path, args=BROWSER_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server, transactional_db):
    # Transactional tests start from an emptied database: put the reference data back.
    load_reference_data()
    # SQLite sorts names by pinyin through a Python collation whose tables load on first use; load them now, not
    # first inside the flush that empties the database after the test (which then never finished).
    pinyin_sort_key("拉萨")
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()

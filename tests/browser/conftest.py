"""Browser fixtures: one Debian chromium per test session, the app served from a background thread."""
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.factories.app import app_on_empty_database

CHROMIUM = "/usr/bin/chromium"
# Without these, chromium tries to reach Google's hosts on a closed network at every start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    """Everything under tests/browser is a browser test."""
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def chinese_fonts() -> list[str]:
    """The fonts fontconfig offers for Chinese (what chromium draws 中文 with); empty without fonts-noto-cjk."""
    if not shutil.which("fc-list"):
        return []
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return [line for line in listed.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, driven by Playwright; a missing browser fails loudly instead of skipping."""
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        pytest.fail("浏览器测试需要 Debian 的 chromium（apt-get install chromium）；make test 会自动安装。")
    if not chinese_fonts():
        pytest.fail("浏览器测试需要中文字体（apt-get install fonts-noto-cjk），否则截图中的中文显示为方框；"
                    "make test 会自动安装。")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def app(database_url, tmp_path):
    """Browser tests run with CSRF protection on, as residents meet it (htmx sends the header)."""
    yield from app_on_empty_database(database_url, tmp_path, WTF_CSRF_ENABLED=True)


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port for the duration of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser):
    """A fresh page with JavaScript, zh-CN."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser):
    """A fresh page with JavaScript turned off: every page must still work."""
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()

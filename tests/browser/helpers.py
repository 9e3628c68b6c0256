"""Browser test helpers: signing in through the real form, reaching a control by Tab, and axe-core's check."""
from pathlib import Path

from playwright.sync_api import expect

from tests.factories.staff import PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def sign_in(page, live_server: str, username: str) -> None:
    """Sign a staff member in through the real form, from a fresh session (password: tests.factories.staff.PASSWORD)."""
    page.context.clear_cookies()
    page.goto(f"{live_server}/admin/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run axe-core in the page; return the serious and critical rule violations as readable lines."""
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the page's CSP.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['html'][:120]})"
        for v in result["violations"] if v["impact"] in impacts
    ]


def tab_to(page, text: str, limit: int = 60) -> None:
    """Press Tab until the focused element's text is `text` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    raise AssertionError(f"“{text}” cannot be reached with the Tab key")

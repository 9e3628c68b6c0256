"""Browser test helpers: signing in through the real form, reaching a control by Tab, axe-core's check,
the Content-Security-Policy violations a page logs and whether a page scrolls sideways."""
from pathlib import Path

from playwright.sync_api import expect

from tests.factories.staff import PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Every violation the page reports, with the page it happened on, reaches the test through this binding.
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => window.reportCspViolation(
  `${location.pathname}: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
), true);
window.print = () => { window.printed = true; };  // headless chromium: record the print instead of opening a dialog
"""


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


def tab_on_to(page, field, limit: int = 5) -> None:
    """Press Tab until `field` has the focus (leaving a date field passes its month and day segments first)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if field.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError("the next field cannot be reached with the Tab key")


def sideways(page) -> int:
    """How far the page scrolls sideways, in CSS pixels (0 when nothing is wider than the window)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def csp_violations(page) -> list[str]:
    """The list the page's CSP violations (securitypolicyviolation events and console errors) are added to,
    from its next load on."""
    violations = []
    page.expose_function("reportCspViolation", lambda line: violations.append(line))
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    page.add_init_script(LISTEN)
    return violations


def settle(page) -> None:
    """Let pending violation reports reach the test before it looks at them."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50)))")

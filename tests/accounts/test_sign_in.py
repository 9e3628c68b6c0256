"""Signing in and out: one message for every failure, per-address limits, hashes, cookies, where to go next."""
import re
from urllib.parse import quote

import pytest
from sqlalchemy import select

from portal.accounts import services as accounts
from portal.config import load_config
from portal.core.urls import safe_next
from portal.extensions import db
from portal.models.staff import ADMIN, EDITOR, HANDLER, AuditEntry, User
from tests.factories.staff import PASSWORD, login, logout, not_test_setup

MESSAGE = "用户名或密码不正确，或账户已停用"


def text(response) -> str:
    """The decoded body."""
    return response.get_data(as_text=True)


def test_sign_in_lands_on_the_dashboard_with_the_users_roles(client, staff):
    staff("lihua", EDITOR, HANDLER, display_name="李华")
    response = login(client, "lihua")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "工作台" in text(page) and "李华" in text(page) and "编辑、经办人" in text(page)


def test_username_is_matched_case_insensitively(client, staff):
    staff("lihua", EDITOR)
    assert login(client, "LiHua").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_message(client, staff):
    staff("lihua", EDITOR)
    wrong = login(client, "lihua", "not-the-password")
    unknown = login(client, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert MESSAGE in text(wrong) and MESSAGE in text(unknown)
    # Apart from the typed username (and the page's CSRF token, signed with the time), the pages are identical.
    def same(response):
        return re.sub(r'"X-CSRFToken": "[^"]*"', "", text(response))

    assert same(wrong).replace('value="lihua"', 'value="nobody"') == same(unknown)
    assert client.get("/admin/").status_code == 302


def test_the_form_keeps_the_username_but_not_the_password(client, staff):
    staff("lihua", EDITOR)
    page = text(login(client, "lihua", "secret-typed-wrong"))
    assert 'value="lihua"' in page and "secret-typed-wrong" not in page


def test_too_many_failures_from_one_address_get_the_chinese_429_page(app_with, staff):
    app = app_with(RATELIMIT_ENABLED=True, SIGNIN_IP_LIMIT="3 per minute")
    client = app.test_client()
    staff("lihua", EDITOR)
    for name in ("a1", "a2", "a3"):
        assert login(client, name, "wrong-password").status_code == 200
    refused = login(client, "lihua", PASSWORD)
    assert refused.status_code == 429
    assert "操作过于频繁" in text(refused)
    other_address = app.test_client()
    assert login(other_address, "lihua", PASSWORD).status_code == 429  # same address, new browser
    assert other_address.post("/admin/login", data={"username": "lihua", "password": PASSWORD},
                              environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302


def test_successful_sign_ins_do_not_use_up_the_address_limit(app_with, staff):
    client = app_with(RATELIMIT_ENABLED=True, SIGNIN_IP_LIMIT="2 per minute").test_client()
    staff("lihua", EDITOR)
    for _ in range(4):
        assert login(client, "lihua").status_code == 302
        logout(client)


def test_password_is_stored_as_a_salted_hash(ctx):
    user = accounts.create_user("lihua", "李华", [EDITOR], "a-long-password-1")
    other = accounts.create_user("wangfang", "王芳", [EDITOR], "a-long-password-1")
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert "a-long-password-1" not in user.password_hash
    assert user.password_hash != other.password_hash


def test_session_cookie_is_httponly_and_samesite(client, staff):
    staff("lihua", EDITOR)
    cookie = login(client, "lihua").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("PORTAL_URL", "https://gkb.example.gov.cn")
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_HTTPONLY"]


def test_sign_out_needs_a_post(client, staff):
    staff("lihua", EDITOR)
    login(client, "lihua")
    assert client.get("/admin/logout").status_code == 405
    assert client.get("/admin/").status_code == 200
    response = logout(client)
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert "您已退出登录" in text(client.get("/admin/login"))
    assert client.get("/admin/").status_code == 302


def test_sign_out_is_csrf_protected(app, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    staff("lihua", EDITOR)
    client = app.test_client()
    page = text(client.get("/admin/login"))
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/admin/login", data={"username": "lihua", "password": PASSWORD,
                                             "csrf_token": token}).status_code == 302
    assert client.post("/admin/logout").status_code == 400
    assert client.get("/admin/").status_code == 200


def test_anonymous_visitor_returns_to_the_page_asked_for_after_sign_in(client, staff):
    staff("boss", ADMIN)
    first = client.get("/admin/accounts")
    assert first.status_code == 302 and "/admin/login?next=" in first.headers["Location"]
    assert "请先登录" in text(client.get(first.headers["Location"]))
    response = login(client, "boss", next_url="/admin/accounts")
    assert response.headers["Location"].endswith("/admin/accounts")


def test_sign_in_never_redirects_to_another_host(client, staff):
    staff("boss", ADMIN)
    response = login(client, "boss", next_url="//evil.example/phish")
    assert response.headers["Location"].endswith("/admin/")


# Each of these, once a browser has parsed it, leaves the site (or runs script); as sent in ?next=, URL-encoded.
BYPASSES = [
    "%2F%09%2Fevil.example%2Fphish",  # the audit's: "/<TAB>/evil.example" (browsers drop tabs)
    "%2F%0A%2Fevil.example", "%2F%0D%2Fevil.example", "%0D%0A%2F%2Fevil.example",
    "%2F%5Cevil.example", "%5C%5Cevil.example", "%2F%5C%2Fevil.example",  # backslashes read as slashes
    "%2F%2Fevil.example", "%2F%2F%2Fevil.example", "%2F%2F%2F%2Fevil.example",
    "https%3A%2F%2Fevil.example", "http%3Aevil.example", "HTTPS%3A%2F%2Fevil.example",
    "%20%2F%2Fevil.example", "%2F%20%2Fevil.example", "%E3%80%80%2F%2Fevil.example",  # spaces, ideographic space
    "%2F%E2%80%8B%2Fevil.example", "%00%2F%2Fevil.example", "%2F%7F%2Fevil.example",  # zero width, NUL, DEL
    "javascript%3Aalert(1)", "data%3Atext%2Fhtml%2C%3Cscript%3E", "evil.example", "%2F%2F%40evil.example",
    "%2F%2Fevil.example%2F%2F%2F%2F..%2F", "%09%2F%2Fevil.example",
]


@pytest.mark.parametrize("target", BYPASSES)
def test_sign_in_refuses_every_known_way_to_another_host(client, staff, target):
    staff("boss", ADMIN)
    response = client.post(f"/admin/login?next={target}", data={"username": "boss", "password": PASSWORD})
    if "%00" in target:
        assert response.status_code == 400  # the input guard refuses NUL anywhere before sign-in is tried
    else:
        assert response.status_code == 302 and response.headers["Location"] == "/admin/"


@pytest.mark.parametrize("target", ["/admin/accounts", "/admin/requests/?state=%E5%BE%85%E7%A1%AE%E8%AE%A4&page=2",
                                    "/admin/entries/12#history", "/catalog?q=电梯"])
def test_sign_in_returns_to_a_path_on_this_site(client, staff, target):
    staff("boss", ADMIN)
    assert safe_next(target) == target
    response = login(client, "boss", next_url=quote(target, safe=""))
    assert response.headers["Location"] == quote(target, safe="/?=&#%")


def test_htmx_request_of_an_anonymous_visitor_redirects_the_whole_page(client):
    response = client.get("/admin/accounts", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/admin/login")


def test_deactivated_or_reset_accounts_lose_their_sessions(client, staff, app):
    boss = staff("boss", ADMIN)
    staff("lihua", EDITOR)
    login(client, "lihua")
    assert client.get("/admin/").status_code == 200
    with app.app_context():
        accounts.reset_password(db.session.scalar(select(User).filter_by(username="lihua")), "another-password-1")
    assert client.get("/admin/").status_code == 302
    assert login(client, "lihua", "another-password-1").status_code == 302
    with app.app_context():
        accounts.set_active(db.session.scalar(select(User).filter_by(username="lihua")), False,
                            by=db.session.get(User, boss.id))
    assert client.get("/admin/").status_code == 302
    assert MESSAGE in text(login(client, "lihua", "another-password-1"))


def test_sign_ins_and_outs_are_audited_with_actor_and_address(client, staff, app):
    staff("lihua", EDITOR)
    login(client, "lihua")
    logout(client)
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(not_test_setup()).order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["login", "logout"]
        assert all(e.actor_name == "lihua" and e.ip == "127.0.0.1" and e.actor_id for e in entries)


def test_an_unknown_username_is_audited_by_its_length_never_as_typed(client, staff, app):
    staff("lihua", EDITOR)
    typed = "MySecret-Passw0rd"  # a password typed into the username box
    login(client, f"  {typed} ", "not-the-password")
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).filter_by(action="login_failed")).one()
        stored = " ".join(str(v) for v in (entry.summary, entry.object_id, entry.before, entry.after, entry.actor_name))
        assert typed not in stored and typed.lower() not in stored.lower()
        assert "（不存在的用户名）" in entry.summary and f"{len(typed)} 个字符" in entry.summary


def test_public_pages_show_the_staff_bar_only_to_signed_in_staff(client, staff):
    assert "退出登录" not in text(client.get("/"))
    staff("lihua", EDITOR, display_name="李华")
    login(client, "lihua")
    page = text(client.get("/"))
    assert "工作人员：李华" in page and 'action="/admin/logout"' in page

"""Staff sessions end on the server: at sign-out, at a password or role change, after idle and absolute timeouts."""
from datetime import datetime, timedelta, timezone

from flask_login import login_user
from sqlalchemy import select

from portal.accounts import sessions
from portal.accounts import services as accounts
from portal.extensions import db
from portal.models.staff import ADMIN, EDITOR, HANDLER, User
from tests.factories.staff import login, logout

START = datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)  # 09:00 office time


class Clock:
    """A clock the test moves by hand; patched in as portal.accounts.sessions.utcnow."""

    def __init__(self, now: datetime):
        """Start at `now`."""
        self.now = now

    def __call__(self) -> datetime:
        """The current (controlled) time."""
        return self.now

    def advance(self, **delta) -> None:
        """Move the clock forward."""
        self.now += timedelta(**delta)


def clock_at(monkeypatch, now: datetime = START) -> Clock:
    """Patch the sign-in clock and return it."""
    clock = Clock(now)
    monkeypatch.setattr(sessions, "utcnow", clock)
    return clock


def user_named(username: str) -> User:
    """The account with this username."""
    return db.session.scalar(select(User).filter_by(username=username))


def test_a_session_cookie_saved_before_sign_out_no_longer_opens_the_staff_area(app, staff):
    staff("lihua", EDITOR)
    client = app.test_client()
    login(client, "lihua")
    saved = client.get_cookie("session").value
    assert client.get("/admin/").status_code == 200
    logout(client)
    replay = app.test_client()
    replay.set_cookie("session", saved)
    response = replay.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_sign_out_ends_the_accounts_sessions_in_every_browser(app, staff):
    staff("lihua", EDITOR)
    office, home = app.test_client(), app.test_client()
    login(office, "lihua")
    login(home, "lihua")
    logout(office)
    assert home.get("/admin/").status_code == 302


def test_a_remember_me_cookie_never_signs_anyone_in(app, staff):
    account = staff("lihua", EDITOR)
    with app.test_request_context("/admin/"):
        user = db.session.get(User, account.id)
        login_user(user, remember=True)  # what a remember-me cookie would carry, signed with the app's key
        response = app.make_response("")
        app.login_manager._set_cookie(response)
        cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    client = app.test_client()
    client.set_cookie("remember_token", cookie)
    assert client.get("/admin/").status_code == 302


def test_a_role_change_ends_the_accounts_sessions(app, staff):
    boss = staff("boss", ADMIN)
    staff("lihua", EDITOR, HANDLER)
    client = app.test_client()
    login(client, "lihua")
    saved = client.get_cookie("session").value
    with app.app_context():
        accounts.update_user(user_named("lihua"), display_name="李华", roles=[EDITOR], by=db.session.get(User, boss.id))
    replay = app.test_client()
    replay.set_cookie("session", saved)
    assert replay.get("/admin/").status_code == 302


def test_a_name_change_alone_keeps_the_accounts_sessions(app, staff):
    boss = staff("boss", ADMIN)
    staff("lihua", EDITOR)
    client = app.test_client()
    login(client, "lihua")
    with app.app_context():
        accounts.update_user(user_named("lihua"), display_name="李华华", roles=[EDITOR], by=db.session.get(User, boss.id))
    assert client.get("/admin/").status_code == 200


def test_an_admin_changing_their_own_password_or_roles_stays_signed_in_there_only(app, staff):
    account = staff("boss", ADMIN)
    client, other_browser = app.test_client(), app.test_client()
    login(client, "boss")
    login(other_browser, "boss")
    response = client.post(f"/admin/accounts/{account.id}/password",
                           data={"password": "another-password-1", "confirm": "another-password-1"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert other_browser.get("/admin/").status_code == 302
    login(other_browser, "boss", "another-password-1")
    response = client.post(f"/admin/accounts/{account.id}", data={"display_name": "王主任", "roles": [ADMIN, EDITOR]})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert other_browser.get("/admin/").status_code == 302


def test_an_idle_session_ends_after_thirty_minutes_and_sign_in_returns_to_the_page(app, staff, monkeypatch):
    clock = clock_at(monkeypatch)
    staff("boss", ADMIN)
    client = app.test_client()
    login(client, "boss")
    clock.advance(minutes=29)  # 09:29: still signed in, and this request counts as activity
    assert client.get("/admin/accounts").status_code == 200
    clock.advance(minutes=29)  # 09:58: 29 minutes after the last request
    assert client.get("/admin/accounts").status_code == 200
    clock.advance(minutes=30, seconds=1)  # 10:28:01: 30 minutes and a second of nothing
    response = client.get("/admin/accounts?page=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/login?next=/admin/accounts?page%3D2"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "30 分钟没有操作" in page and "请先登录" not in page
    assert 'action="/admin/login?next=/admin/accounts?page%3D2"' in page
    again = login(client, "boss", next_url="/admin/accounts?page%3D2")
    assert again.headers["Location"] == "/admin/accounts?page=2"


def test_a_session_ends_after_twelve_hours_however_active(app, staff, monkeypatch):
    clock = clock_at(monkeypatch)
    staff("boss", ADMIN)
    client = app.test_client()
    login(client, "boss")
    for _ in range(47):  # a request every 15 minutes: 47 × 15 min = 11 h 45 min, until 20:45
        clock.advance(minutes=15)
        assert client.get("/admin/").status_code == 200
    clock.advance(minutes=15, seconds=1)  # 21:00:01, twelve hours and a second after signing in at 09:00
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "已登录超过 12 小时" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_timeouts_are_settings(app, staff, monkeypatch):
    clock = clock_at(monkeypatch)
    app.config.update(SESSION_IDLE_MINUTES=5, SESSION_MAX_HOURS=1)
    staff("boss", ADMIN)
    client = app.test_client()
    login(client, "boss")
    clock.advance(minutes=5, seconds=1)
    assert client.get("/admin/").status_code == 302
    login(client, "boss")
    for _ in range(15):  # every 4 minutes: 60 minutes
        clock.advance(minutes=4)
        assert client.get("/admin/").status_code == 200
    clock.advance(seconds=1)
    assert client.get("/admin/").status_code == 302


def test_the_timeouts_come_from_the_environment(monkeypatch, tmp_path):
    from portal.config import load_config

    monkeypatch.setenv("SESSION_IDLE_MINUTES", "10")
    monkeypatch.setenv("SESSION_MAX_HOURS", "8")
    config = load_config(str(tmp_path))
    assert config["SESSION_IDLE_MINUTES"] == 10 and config["SESSION_MAX_HOURS"] == 8
    monkeypatch.delenv("SESSION_IDLE_MINUTES")
    monkeypatch.delenv("SESSION_MAX_HOURS")
    config = load_config(str(tmp_path))
    assert config["SESSION_IDLE_MINUTES"] == 30 and config["SESSION_MAX_HOURS"] == 12


def test_an_htmx_request_after_the_timeout_sends_the_whole_page_to_sign_in(app, staff, monkeypatch):
    clock = clock_at(monkeypatch)
    staff("boss", ADMIN)
    client = app.test_client()
    login(client, "boss")
    clock.advance(minutes=31)
    response = client.get("/admin/accounts", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/admin/login?next=/admin/accounts"
    assert "30 分钟没有操作" in client.get("/admin/login").get_data(as_text=True)

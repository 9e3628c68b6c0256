"""Account management by the 管理员: create, change roles, reset passwords, deactivate; all audited."""
import pytest
from sqlalchemy import select

from portal.accounts import services as accounts
from portal.extensions import db
from portal.models.staff import ADMIN, EDITOR, HANDLER, REVIEWER, AuditEntry, User
from tests.factories.staff import PASSWORD, login, make_user, not_test_setup


@pytest.fixture
def boss(app, staff):
    """The signed-in 管理员 and their client."""
    account = staff("boss", ADMIN, display_name="王主任")
    client = app.test_client()
    login(client, "boss")
    return account, client


def user_named(username: str) -> User:
    """The account with this username."""
    return db.session.scalar(select(User).filter_by(username=username))


def test_admin_creates_an_account_that_can_sign_in(app, boss):
    _, client = boss
    response = client.post("/admin/accounts/new", data={
        "username": "lihua", "display_name": "李华", "roles": [EDITOR, REVIEWER],
        "password": "a-long-password-1", "confirm": "a-long-password-1"})
    assert response.status_code == 302
    html = client.get("/admin/accounts").get_data(as_text=True)
    assert "已新建账户“lihua”" in html and "编辑、审核" in html
    with app.app_context():
        assert user_named("lihua").role_set == {EDITOR, REVIEWER}
        entry = db.session.scalar(select(AuditEntry).filter_by(action="user_create").where(not_test_setup()))
        assert entry.actor_name == "王主任" and "a-long-password-1" not in (entry.after or "")
    assert login(app.test_client(), "lihua", "a-long-password-1").status_code == 302


def test_create_form_errors_are_in_chinese_and_keep_what_was_typed(boss):
    _, client = boss
    html = client.post("/admin/accounts/new", data={
        "username": "boss", "display_name": "重名的人", "roles": [HANDLER],
        "password": "a-long-password-1", "confirm": "different-password"}).get_data(as_text=True)
    assert "两次输入的密码不一致" in html and 'value="重名的人"' in html
    assert '<input checked id="roles-3" name="roles" type="checkbox" value="handler">' in html
    html = client.post("/admin/accounts/new", data={
        "username": "BOSS", "display_name": "重名的人", "password": "a-long-password-1",
        "confirm": "a-long-password-1"}).get_data(as_text=True)
    assert "用户名“BOSS”已被使用" in html


def test_admin_changes_roles_and_it_is_audited(app, boss, staff):
    _, client = boss
    other = staff("lihua", EDITOR)
    response = client.post(f"/admin/accounts/{other.id}", data={"display_name": "李华", "roles": [HANDLER]})
    assert response.status_code == 302
    with app.app_context():
        assert user_named("lihua").role_set == {HANDLER}
        entry = db.session.scalar(select(AuditEntry).filter_by(action="user_update"))
        assert '"roles": "editor"' in entry.before and '"roles": "handler"' in entry.after


def test_nobody_removes_their_own_admin_role(app, boss):
    account, client = boss
    html = client.post(f"/admin/accounts/{account.id}", data={"display_name": "王主任", "roles": [EDITOR]}
                       ).get_data(as_text=True)
    assert "不能取消自己的管理员角色" in html
    with app.app_context():
        assert user_named("boss").role_set == {ADMIN}


def test_deactivating_an_account_signs_it_out_and_blocks_sign_in(app, boss, staff):
    _, client = boss
    other = staff("lihua", EDITOR)
    their_client = app.test_client()
    login(their_client, "lihua")
    assert client.post(f"/admin/accounts/{other.id}/active", data={"active": "0"}).status_code == 302
    assert their_client.get("/admin/").status_code == 302
    assert login(their_client, "lihua").status_code == 200
    assert client.post(f"/admin/accounts/{other.id}/active", data={"active": "1"}).status_code == 302
    assert login(their_client, "lihua").status_code == 302


def test_nobody_deactivates_themselves(app, boss):
    account, client = boss
    html = client.post(f"/admin/accounts/{account.id}/active", data={"active": "0"}).get_data(as_text=True)
    assert "不能停用或启用自己的账户" in html


def test_reset_password_unlocks_and_ends_other_sessions(app, boss, staff):
    _, client = boss
    other = staff("lihua", EDITOR)
    for _ in range(5):
        login(app.test_client(), "lihua", "wrong-password")
    response = client.post(f"/admin/accounts/{other.id}/password",
                           data={"password": "brand-new-password", "confirm": "brand-new-password"})
    assert response.status_code == 302
    assert login(app.test_client(), "lihua", "brand-new-password").status_code == 302
    short = client.post(f"/admin/accounts/{other.id}/password", data={"password": "short", "confirm": "short"})
    assert "密码至少需要 10 个字符" in short.get_data(as_text=True)


def test_the_last_active_admin_stays(ctx):
    first = accounts.create_user("first", "甲", [ADMIN], "a-long-password-1")
    second = accounts.create_user("second", "乙", [ADMIN], "a-long-password-1")
    accounts.set_active(second, False, by=first)
    with pytest.raises(ValueError, match="至少要保留一位启用的管理员"):
        accounts.update_user(first, display_name="甲", roles=[EDITOR], by=second)
    assert first.role_set == {ADMIN}


def test_unknown_account_pages_are_404(boss):
    _, client = boss
    assert client.get("/admin/accounts/99999").status_code == 404


def test_user_model_rejects_unknown_roles(ctx):
    with pytest.raises(ValueError):
        make_user("x1", "superuser")


def test_an_account_may_have_an_email_address_for_guessing_notices(app, boss):
    _, client = boss
    html = client.post("/admin/accounts/new", data={
        "username": "lihua", "display_name": "李华", "roles": [EDITOR], "email": "not-an-address",
        "password": "a-long-password-1", "confirm": "a-long-password-1"}).get_data(as_text=True)
    assert "请填写有效的电子邮箱地址" in html
    client.post("/admin/accounts/new", data={
        "username": "lihua", "display_name": "李华", "roles": [EDITOR], "email": "lihua@example.gov.cn",
        "password": "a-long-password-1", "confirm": "a-long-password-1"})
    with app.app_context():
        user = user_named("lihua")
        assert user.email == "lihua@example.gov.cn"
    client.post(f"/admin/accounts/{user.id}", data={"display_name": "李华", "roles": [EDITOR], "email": ""})
    with app.app_context():
        assert user_named("lihua").email == ""
        entry = db.session.scalars(select(AuditEntry).filter_by(action="user_update")).one()
        assert "lihua@example.gov.cn" in entry.before


def test_create_user_command_takes_an_email_address(runner, app):
    result = runner.invoke(args=["create-user", "lihua", "--role", "editor", "--email", "lihua@example.gov.cn",
                                 "--password", "a-long-password-1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert user_named("lihua").email == "lihua@example.gov.cn"


def test_a_staff_member_changes_their_own_password_and_their_other_sessions_end(app, staff):
    staff("lihua", EDITOR)
    here, elsewhere = app.test_client(), app.test_client()
    login(here, "lihua")
    login(elsewhere, "lihua")
    assert "修改我的密码" in here.get("/admin/password").get_data(as_text=True)
    response = here.post("/admin/password", data={"current": PASSWORD, "password": "my-own-new-password",
                                                  "confirm": "my-own-new-password"})
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200  # this session goes on
    assert elsewhere.get("/admin/").status_code == 302  # the other one is signed out
    assert login(app.test_client(), "lihua", "my-own-new-password").status_code == 302
    assert login(app.test_client(), "lihua", PASSWORD).status_code == 200  # the old one no longer opens it
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user_password_own"))
        assert entry is not None and "lihua" in entry.summary


@pytest.mark.parametrize("data, message", [
    ({"current": "not-my-password", "password": "my-own-new-password", "confirm": "my-own-new-password"},
     "当前密码不正确"),
    ({"current": PASSWORD, "password": "short", "confirm": "short"}, "密码至少需要 10 个字符"),
    ({"current": PASSWORD, "password": "my-own-new-password", "confirm": "something-else-typed"}, "两次输入的密码不一致"),
    ({"current": PASSWORD, "password": PASSWORD, "confirm": PASSWORD}, "新密码不能与当前密码相同"),
])
def test_an_own_password_change_that_cannot_be_made_says_why_and_changes_nothing(app, staff, data, message):
    staff("lihua", HANDLER)
    client = app.test_client()
    login(client, "lihua")
    response = client.post("/admin/password", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert login(app.test_client(), "lihua", PASSWORD).status_code == 302  # the password is unchanged


def test_wrong_current_passwords_count_as_failed_sign_ins(app, staff):
    staff("lihua", REVIEWER)
    client = app.test_client()
    login(client, "lihua")
    wrong = {"current": "guess-number-x", "password": "my-own-new-password", "confirm": "my-own-new-password"}
    answers = [client.post("/admin/password", data=wrong).status_code for _ in range(12)]
    # The sign-in throttle's delays apply: the form is no way to guess the password faster than the sign-in page.
    assert answers[0] == 422 and 429 in answers

"""In a district's portal an office's 管理员 manages only the accounts that are that office's alone; an account
also in another office, or holding a district role, is the 区级管理员's to edit, reset or deactivate; every
office keeps an enabled 管理员; the account pages say which office the roles are for."""
import pytest
from sqlalchemy import select

from portal.accounts import services as accounts
from portal.extensions import db
from portal.models import ADMIN, DISTRICT_ADMIN, EDITOR, HANDLER, AuditEntry, Office, User
from tests.factories.offices import in_office, make_office
from tests.factories.staff import PASSWORD, login, make_user

SHARED = "该账户也属于其他机关或持有区级角色，请由区级管理员操作"


@pytest.fixture
def district(app):
    """Office B with its 管理员 b-admin, a 区级管理员 who is also B's 编辑, an account of A and B and one of B
    only; returns their ids."""
    with app.app_context():
        b = make_office("offb", "乙街道办事处", prefix="YI", short_name="乙街道")
        with in_office(b):
            make_user("b-admin", ADMIN)
            boss = accounts.create_user("district", "区管", [EDITOR], PASSWORD, actor="测试",
                                        district_roles=[DISTRICT_ADMIN])
            both = db.session.get(User, make_user("both", HANDLER).id)
            only_b = make_user("only-b", HANDLER)
        both.set_roles_in(Office.first().id, {HANDLER})
        db.session.commit()
        return {"district": boss.id, "both": both.id, "only_b": only_b.id, "b": b.id}


def b_admin(app):
    """A client signed in as office B's 管理员."""
    client = app.test_client()
    login(client, "b-admin", next_url="/o/offb/admin/")
    return client


@pytest.mark.parametrize("who", ["district", "both"])
def test_an_office_admin_cannot_reset_edit_or_deactivate_an_account_shared_with_another_office_or_the_district(
        app, district, who):
    client, user_id = b_admin(app), district[who]
    base = f"/o/offb/admin/accounts/{user_id}"
    assert client.post(f"{base}/password", data={"password": "taken-over-123",
                                                 "confirm": "taken-over-123"}).status_code == 403
    assert client.post(base, data={"display_name": "改名", "roles": [ADMIN]}).status_code == 403
    assert client.post(f"{base}/active", data={"active": "0"}).status_code == 403
    html = client.get(base).get_data(as_text=True)
    assert SHARED in html and "重置密码" not in html and 'name="display_name"' not in html
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.active and user.display_name != "改名"
        assert not db.session.scalar(select(AuditEntry).where(AuditEntry.action.in_(
            ["user_password", "user_update", "user_deactivate"])))
    assert login(app.test_client(), who, "taken-over-123").status_code != 302


def test_an_office_admin_still_manages_the_accounts_of_that_office_alone(app, district):
    client, base = b_admin(app), f"/o/offb/admin/accounts/{district['only_b']}"
    assert SHARED not in client.get(base).get_data(as_text=True)
    assert client.post(f"{base}/password", data={"password": "new-password-123",
                                                 "confirm": "new-password-123"}).status_code == 302
    assert client.post(f"{base}/active", data={"active": "0"}).status_code == 302


def test_the_district_admin_resets_and_deactivates_shared_accounts(app, district):
    client = app.test_client()
    login(client, "district")
    base = f"/o/offb/admin/accounts/{district['both']}"
    assert SHARED not in client.get(base).get_data(as_text=True)
    assert client.post(f"{base}/password", data={"password": "new-password-123",
                                                 "confirm": "new-password-123"}).status_code == 302
    assert client.post(f"{base}/active", data={"active": "0"}).status_code == 302


def test_deactivating_an_account_keeps_an_enabled_admin_in_every_office_it_is_admin_of(app):
    with app.app_context():
        b = make_office("offb", "乙街道办事处", prefix="YI")
        make_user("a-admin", ADMIN)
        make_user("a-admin2", ADMIN)
        shared = db.session.get(User, make_user("shared-admin", ADMIN).id)
        shared.set_roles_in(b.id, {ADMIN})  # B's only 管理员
        db.session.commit()
        boss = accounts.create_user("district", "区管", [], PASSWORD, actor="测试", district_roles=[DISTRICT_ADMIN])
        with pytest.raises(ValueError, match="“乙街道办事处”至少要保留一位启用的管理员"):
            accounts.set_active(shared, False, by=boss)  # A has two more, B none
        assert db.session.get(User, shared.id).active


def test_the_district_admin_cannot_take_away_an_office_s_last_admin_role(app):
    with app.app_context():
        b = make_office("offb", "乙街道办事处", prefix="YI")
        with in_office(b):
            only = db.session.get(User, make_user("b-admin", ADMIN).id)
        boss = accounts.create_user("district", "区管", [], PASSWORD, actor="测试", district_roles=[DISTRICT_ADMIN])
        with pytest.raises(ValueError, match="“乙街道办事处”至少要保留一位启用的管理员"):
            accounts.set_offices(only, {b.id: [HANDLER]}, [], by=boss)
        assert db.session.get(User, only.id).roles_in(b.id) == {ADMIN}


def test_in_a_district_portal_the_account_pages_say_which_office_the_roles_are_for_and_so_does_the_log(app):
    with app.app_context():
        make_office("offb", "乙街道办事处", prefix="YI", short_name="乙街道")
        first = Office.first()
        accounts.create_user("district", "区管", [], PASSWORD, actor="测试", district_roles=[DISTRICT_ADMIN])
        first_name = first.short_name or first.name
    client = app.test_client()
    login(client, "district")
    assert f"在“{first_name}”的角色" in client.get("/admin/accounts/new").get_data(as_text=True)
    assert "在“乙街道”的角色" in client.get("/o/offb/admin/accounts/new").get_data(as_text=True)
    assert client.post("/o/offb/admin/accounts/new", data={
        "username": "forb", "display_name": "乙经办", "roles": [HANDLER], "password": PASSWORD,
        "confirm": PASSWORD}).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username="forb"))
        user_id, b_id = user.id, user.memberships[0].office_id
    page = client.get(f"/admin/accounts/{user_id}").get_data(as_text=True)
    assert f"在“{first_name}”的角色" in page
    assert "在“乙街道”的角色" in client.get(f"/o/offb/admin/accounts/{user_id}").get_data(as_text=True)
    assert client.post(f"/o/offb/admin/accounts/{user_id}", data={"display_name": "乙经办",
                                                                 "roles": [EDITOR]}).status_code == 302
    with app.app_context():
        rows = {e.action: e for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action.in_(["user_create", "user_update"])).where(AuditEntry.object_id == str(user_id)))}
        assert "在“乙街道”" in rows["user_create"].summary and "在“乙街道”" in rows["user_update"].summary
        assert rows["user_create"].office_id == rows["user_update"].office_id == b_id


def test_a_single_office_portal_names_no_office_on_the_account_pages(app, staff):
    staff("boss", ADMIN)
    client = app.test_client()
    login(client, "boss")
    html = client.get("/admin/accounts/new").get_data(as_text=True)
    assert "<legend>角色" in html and "的角色" not in html

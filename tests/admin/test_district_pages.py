"""The 区级管理员's pages: offices listed, added and edited through the offices service (refusals on their fields,
what was typed kept), and each account's roles per office; an office's 管理员 manages its own accounts only."""
from sqlalchemy import select

from portal.accounts.cli import create_user_command
from portal.extensions import db
from portal.models import ADMIN, DISTRICT_ADMIN, EDITOR, HANDLER, Office, User
from tests.factories.offices import in_office, make_office
from tests.factories.staff import login, make_user

NEW_OFFICE = {"name": "万里街道办事处", "short_name": "万里街道", "code": "wanli", "number_prefix": "WL",
              "org_code": "123456789", "letter_prefix": "万信公", "description": "万里街道的信息",
              "search_hint": "低保", "position": "3"}


def district_admin(app, username: str = "district") -> None:
    """An account holding the 区级管理员 role (and no office role)."""
    with app.app_context():
        user = db.session.get(User, make_user(username).id)
        user.district_role_set = {DISTRICT_ADMIN}
        db.session.commit()


def test_the_district_admin_adds_an_office_and_sees_it_listed(app, client):
    district_admin(app)
    login(client, "district")
    assert client.get("/admin/offices/new").status_code == 200
    added = client.post("/admin/offices/new", data=NEW_OFFICE)
    assert added.status_code == 303
    page = client.get("/admin/offices").get_data(as_text=True)
    assert "万里街道办事处" in page and "/o/wanli/" in page and "WL" in page
    with app.app_context():
        office = Office.by_code("wanli")
        assert office.number_prefix == "WL" and office.position == 3 and office.search_hint == "低保"


def test_a_refused_office_shows_each_message_on_its_field_and_keeps_what_was_typed(app, client):
    district_admin(app)
    login(client, "district")
    with app.app_context():
        first_code = Office.first().code
    refused = client.post("/admin/offices/new", data=NEW_OFFICE | {"code": first_code, "number_prefix": "w l"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f"网址代码“{first_code}”已被另一机关使用" in page and "申请编号前缀只能由大写字母和数字组成" in page
    assert 'id="code-error"' in page and 'id="number_prefix-error"' in page
    assert 'value="万里街道办事处"' in page and 'value="万信公"' in page
    with app.app_context():
        assert not Office.several()


def test_the_district_admin_edits_an_office_and_a_refusal_keeps_the_input(app, client):
    district_admin(app)
    with app.app_context():
        other = make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        other_id = other.id
        first_prefix = Office.first().number_prefix
    login(client, "district")
    form = client.get(f"/admin/offices/{other_id}").get_data(as_text=True)
    assert 'value="wanzhen"' in form
    saved = client.post(f"/admin/offices/{other_id}", data=NEW_OFFICE | {"code": "wanzhen", "number_prefix": "WZ"})
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.get(Office, other_id).name == "万里街道办事处"
    refused = client.post(f"/admin/offices/{other_id}", data=NEW_OFFICE | {"code": "Bad Code!", "name": "改名了"})
    assert refused.status_code == 422 and 'value="改名了"' in refused.get_data(as_text=True)
    assert client.get("/admin/offices/999999").status_code == 404
    assert first_prefix == ""


def test_only_the_district_admin_opens_the_office_pages(app, client):
    with app.app_context():
        make_user("boss", ADMIN)
    login(client, "boss")
    for url in ("/admin/offices", "/admin/offices/new", "/admin/offices/1"):
        assert client.get(url).status_code == 403, url
    assert client.post("/admin/offices/new", data=NEW_OFFICE).status_code == 403


def test_the_district_admin_gives_an_account_roles_in_each_office(app, client):
    district_admin(app)
    with app.app_context():
        first, other = Office.first(), make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        first_id, other_id = first.id, other.id
        clerk = make_user("clerk", EDITOR)
    login(client, "district")
    page = client.get(f"/admin/accounts/{clerk.id}").get_data(as_text=True)
    assert "各机关的角色" in page and f'name="office-{other_id}"' in page
    saved = client.post(f"/admin/accounts/{clerk.id}/offices",
                        data={f"office-{other_id}": [HANDLER, ADMIN], f"office-{first_id}": []})
    assert saved.status_code == 303
    with app.app_context():
        user = db.session.get(User, clerk.id)
        assert user.roles_in(other_id) == {HANDLER, ADMIN} and user.membership(first_id) is None
    refused = client.post(f"/admin/accounts/{clerk.id}/offices", data={f"office-{other_id}": ["owner"]})
    assert refused.status_code == 422 and "请选择列出的角色" in refused.get_data(as_text=True)


def test_an_office_admin_manages_only_the_accounts_of_their_own_office(app, client):
    with app.app_context():
        other = make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        make_user("boss", ADMIN)
        make_user("mine", EDITOR)
        with in_office(other):
            theirs = make_user("theirs", EDITOR)
    login(client, "boss")
    listed = client.get("/admin/accounts").get_data(as_text=True)
    assert "mine" in listed and "theirs" not in listed
    assert client.get(f"/admin/accounts/{theirs.id}").status_code == 404
    assert client.post(f"/admin/accounts/{theirs.id}/password",
                       data={"password": "another-password-1", "confirm": "another-password-1"}).status_code == 404
    assert client.post(f"/admin/accounts/{theirs.id}/active", data={"active": "0"}).status_code == 404
    assert client.post(f"/admin/accounts/{theirs.id}/offices", data={}).status_code == 403
    assert client.get("/o/wanzhen/admin/accounts").status_code == 403


def test_the_first_admin_made_at_the_command_line_is_the_district_admin_and_the_next_is_not(app):
    runner = app.test_cli_runner()
    first = runner.invoke(create_user_command, ["chief", "--role", "admin", "--password", "first-password-1"])
    assert first.exit_code == 0 and "区级管理员" in first.output
    second = runner.invoke(create_user_command, ["deputy", "--role", "admin", "--password", "second-password-1"])
    assert second.exit_code == 0 and "区级管理员" not in second.output
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        assert users["chief"].has_district_role(DISTRICT_ADMIN)
        assert not users["deputy"].has_district_role(DISTRICT_ADMIN)


def test_a_district_admin_of_no_office_sees_the_district_areas_on_the_dashboard_and_no_office_page(app, client):
    district_admin(app)
    assert login(client, "district").status_code == 302
    answer = client.get("/admin/")
    assert answer.status_code == 200 and 'href="/admin/offices"' in answer.get_data(as_text=True)
    assert client.get("/admin/requests/").status_code == 403


def test_the_staff_bar_names_no_office_for_a_district_account_outside_its_offices(app, client):
    district_admin(app)
    with app.app_context():
        wanzhen = make_office("wanzhen", "万镇街道办事处", short_name="万镇街道")
        boss = db.session.scalar(select(User).filter_by(username="district"))
        boss.set_roles_in(wanzhen.id, {HANDLER})
        db.session.commit()
    login(client, "district")
    page = client.get("/admin/offices").get_data(as_text=True)  # the first office's: not one of its members
    assert "本机关" not in page and '所属机关：<a href="/o/wanzhen/admin/">万镇街道</a>' in page
    mine = client.get("/o/wanzhen/admin/").get_data(as_text=True)
    assert "本机关：万镇街道" in mine and "切换到" not in mine

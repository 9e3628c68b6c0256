"""Several offices in one portal: each one's pages under /o/<code>/, its own numbers, roles per office."""
import json
from datetime import date

import pytest

from portal.catalog.importer import import_file
from portal.extensions import db
from portal.info_requests import services
from portal.models import ADMIN, DEFAULT_OFFICE, HANDLER, Office, User
from portal.offices.services import OfficeProblem, edit_office
from tests.factories.catalog import publish
from tests.factories.offices import in_office, make_office
from tests.factories.requests import APPLICANT, FIELDS, clerk, handed_in
from tests.factories.staff import PASSWORD, make_user


def test_a_single_office_portal_serves_its_first_office_without_a_prefix(app, client):
    with app.app_context():
        first = Office.current()
        assert first.id == Office.first().id and not Office.several()
        assert first.tracking_number(2026, 7) == "2026-0007"
    assert client.get("/guide").status_code == 200


def test_pages_under_o_code_are_the_named_offices_and_an_unknown_code_is_404(app, client):
    with app.app_context():
        make_office("wanzhen", "万镇街道办事处")
    page = client.get("/o/wanzhen/guide")
    assert page.status_code == 200 and "万镇街道办事处" in page.get_data(as_text=True)
    assert client.get("/o/nosuch/guide").status_code == 404


def test_links_on_an_office_page_keep_its_prefix(app, client):
    with app.app_context():
        make_office("wanzhen", "万镇街道办事处")
    html = client.get("/o/wanzhen/guide").get_data(as_text=True)
    assert 'href="/o/wanzhen/catalog' in html


def test_each_office_numbers_its_applications_from_one_and_the_numbers_never_collide(app):
    with app.app_context():
        wanzhen = make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        first = handed_in(date(2026, 3, 2), clerk())
        with in_office(wanzhen):
            user = clerk()
            user.set_roles_in(wanzhen.id, {HANDLER})
            other = handed_in(date(2026, 3, 2), user)
        # Each office's first application of 2026: 2026-0001 for the first office, WZ-2026-0001 for 万镇.
        assert (first.tracking_number, other.tracking_number) == ("2026-0001", "WZ-2026-0001")
        assert (first.office_id, other.office_id) == (Office.first().id, wanzhen.id)
        assert other.letters[0].number.startswith(wanzhen.letter_prefix)


def test_roles_are_held_per_office(app):
    with app.app_context():
        wanzhen = make_office("wanzhen", "万镇街道办事处")
        account = make_user("li", HANDLER)
        user = db.session.get(User, account.id)
        assert user.has_role(HANDLER)
        with in_office(wanzhen):
            assert not user.has_role(HANDLER) and user.role_set == frozenset()


def test_an_office_whose_codes_another_office_uses_is_refused_with_the_field_named(app):
    with app.app_context():
        make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        with pytest.raises(OfficeProblem) as refused:
            make_office("wanzhen", "另一个街道", prefix="WZ")
        assert set(refused.value.problems) >= {"code", "number_prefix"}
        assert "已被另一机关使用" in refused.value.problems["code"]


def _office_admin(app, code: str, username: str):
    """A client signed in, under the office's prefix, as a 管理员 of that office only."""
    with app.app_context():
        office = Office.by_code(code)
        user = db.session.get(User, make_user(username).id)
        user.set_roles_in(office.id, {ADMIN})
        user.memberships = [m for m in user.memberships if m.office_id == office.id]
        db.session.commit()
    client = app.test_client()
    assert client.post(f"/o/{code}/admin/login",
                       data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_an_office_cannot_take_another_offices_name_org_code_or_letter_prefix_in_its_settings(app):
    with app.app_context():
        wanzhen_id = make_office("wanzhen", "万镇街道办事处", prefix="WZ").id
        first = Office.first()
        taken = {"name": first.name, "org_code": first.org_code, "letter_prefix": first.letter_prefix}
    client = _office_admin(app, "wanzhen", "wz-admin")
    page = client.post("/o/wanzhen/admin/settings", data=DEFAULT_OFFICE | taken)
    html = page.get_data(as_text=True)
    assert "还不能保存" in html
    for label in ("机关名称", "机构代码", "文书编号前缀"):
        assert f"{label}“" in html and "已被另一机关使用" in html
    with app.app_context():
        assert db.session.get(Office, wanzhen_id).org_code != taken["org_code"]  # nothing was saved


def test_with_several_offices_the_index_pattern_must_hold_the_org_code(app):
    with app.app_context():
        wanzhen = make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        own = {k: getattr(wanzhen, k) for k in DEFAULT_OFFICE if hasattr(wanzhen, k)}
    client = _office_admin(app, "wanzhen", "wz-admin")
    page = client.post("/o/wanzhen/admin/settings", data=own | {"index_pattern": "{year}-{seq:05d}",
                                                                  "org_code": "000014349"})
    assert "索引号格式必须包含 {org_code}" in page.get_data(as_text=True)


def test_a_number_prefix_an_office_gave_up_stays_spent_so_its_numbers_never_repeat(app):
    with app.app_context():
        yi = make_office("yi", "乙街道办事处", prefix="YI")
        with in_office(yi):
            user = clerk()
            user.set_roles_in(yi.id, {HANDLER})
            handed_in(date(2026, 3, 2), user)  # YI-2026-0001
        edit_office(yi, {"number_prefix": "YY"})
        with pytest.raises(OfficeProblem) as refused:
            make_office("bing", "丙街道办事处", prefix="YI")  # its first number would be YI-2026-0001 again
        assert "已有编号使用过申请编号前缀“YI”" in refused.value.problems["number_prefix"]


def test_the_first_office_stays_first_when_the_list_order_changes(app):
    with app.app_context():
        first = Office.first()
        wanzhen = make_office("wanzhen", "万镇街道办事处", position=-1)
        edit_office(first, {"position": 9})
        # Listed first now, 万镇 still is not the office of the unprefixed pages and numbers.
        assert Office.listed()[0].id == wanzhen.id
        assert Office.first().id == first.id and Office.current().id == first.id


def test_a_tracking_number_is_found_however_its_prefix_is_typed(app):
    with app.app_context():
        wanzhen = make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        with in_office(wanzhen):
            user = clerk()
            user.set_roles_in(wanzhen.id, {HANDLER})
            info_request, code = services.register(FIELDS, APPLICANT, channel="当面",
                                                   receipt_date=date(2026, 3, 2), user=user)
        assert info_request.tracking_number == "WZ-2026-0001"
        assert services.find_tracked(" wz-2026-0001 ", code).id == info_request.id


def test_an_import_line_naming_another_offices_index_number_is_refused_with_its_line(app, tmp_path):
    with app.app_context():
        theirs = publish(title="石泉路的通知")
        wanzhen = make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        path = tmp_path / "catalog.jsonl"
        path.write_text(json.dumps({"index_number": theirs.index_number, "title": "万镇的通知",
                                    "publisher": "万镇街道办事处", "published_date": "2024-03-05"},
                                   ensure_ascii=False) + "\n", encoding="utf-8")
        with in_office(wanzhen):
            report = import_file(path, actor="测试")
        assert not report.committed
        assert [(e.line, e.field) for e in report.errors] == [(1, "index_number")]
        assert "是上海市普陀区石泉路街道办事处的信息" in report.errors[0].reason


def test_a_new_office_shares_the_districts_settings_but_never_shows_another_offices_address(app, client):
    with app.app_context():
        first = Office.first()
        first.review_authority = "上海市普陀区人民政府"
        db.session.commit()
        address, phone = first.address, first.phone
        make_office("wanzhen", "万镇街道办事处", prefix="WZ")
    guide = client.get("/o/wanzhen/guide").get_data(as_text=True)
    assert address not in guide and phone not in guide and "（尚未填写）" in guide
    assert "上海市普陀区人民政府" in guide  # the 复议机关 is the district's

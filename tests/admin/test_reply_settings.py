"""The settings that letters and local limits read: remedy texts, the Art. 26 limit, the shortest 补正 period,
and the list of other offices (Art. 36(五)) — each validated, kept as typed on error, and audited."""
import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import DEFAULT_OFFICE, Office
from portal.models.office import OtherOffice
from portal.models.staff import AuditEntry
from tests.factories.staff import login


def form_data(**changes) -> dict:
    """The defaults as a browser would post them, with some fields changed."""
    return DEFAULT_OFFICE | changes


def test_the_defaults_are_the_regulations_values(ctx):
    office = Office.current()
    assert (office.art26_workdays, office.correction_min_workdays) == (20, 5)
    assert "{复议机关}" in office.remedy_review_first and "先向" in office.remedy_review_first
    assert "6个月" in office.remedy_choice and "{复议机关}" in office.remedy_disclosed


def test_the_settings_page_shows_the_remedy_texts_and_the_local_limits(admin_client):
    page = admin_client.get("/admin/settings").get_data(as_text=True)
    assert "答复书的救济途径" in page and "本地期限" in page
    assert '<label for="art26_workdays">主动公开期限（工作日）</label>' in page and 'value="20"' in page
    assert '<label for="correction_min_workdays">最短补正期限（工作日）</label>' in page and 'value="5"' in page
    assert "自收到行政复议决定书之日起15日内" in page


def test_saving_the_limits_and_a_remedy_text_changes_the_office_and_is_audited(admin_client, app):
    text = "如对本答复不服，可以在60日内向{复议机关}申请行政复议，或者在6个月内提起行政诉讼。"
    response = admin_client.post("/admin/settings", data=form_data(art26_workdays="15", correction_min_workdays="7",
                                                                   remedy_choice=text))
    assert response.status_code == 302
    with app.app_context():
        office = Office.current()
        assert (office.art26_workdays, office.correction_min_workdays, office.remedy_choice) == (15, 7, text)
        entry = db.session.scalar(select(AuditEntry).filter_by(action="office_update"))
        assert entry.summary == "修改机关设置：救济途径（无法提供、不予处理、其他处理）、主动公开期限、最短补正期限"
        assert '"art26_workdays": 20' in entry.before and '"art26_workdays": 15' in entry.after


@pytest.mark.parametrize("field, value, error", [
    ("remedy_review_first", "如不服，可以申请行政复议。", "须包含 {复议机关}"),
    ("remedy_disclosed", "", "请填写此项"),
    ("art26_workdays", "25", "请填写1至20之间的整数"),
    ("art26_workdays", "0", "请填写1至20之间的整数"),
    ("correction_min_workdays", "", "请填写此项"),
    ("correction_min_workdays", "45", "请填写1至30之间的整数"),
])
def test_a_remedy_without_the_review_authority_or_a_limit_out_of_range_is_refused_with_input_kept(
        admin_client, app, field, value, error):
    response = admin_client.post("/admin/settings", data=form_data(**{field: value, "phone": "021-99999999"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "还不能保存" in page and error in page
    assert 'value="021-99999999"' in page
    with app.app_context():
        assert getattr(Office.current(), field) == DEFAULT_OFFICE[field]


def test_staff_add_change_and_remove_other_offices_each_audited(admin_client, app):
    response = admin_client.post("/admin/settings/offices", data={
        "other-name": "上海市普陀区住房保障和房屋管理局", "other-address": "上海市普陀区大渡河路1668号",
        "other-phone": "021-52564588"})
    assert response.status_code == 303
    page = admin_client.get("/admin/settings").get_data(as_text=True)
    assert "已添加：上海市普陀区住房保障和房屋管理局" in page and "大渡河路1668号" in page
    with app.app_context():
        other_id = db.session.scalar(select(OtherOffice.id))
    response = admin_client.post(f"/admin/settings/offices/{other_id}", data={
        "name": "上海市普陀区住房保障和房屋管理局", "address": "上海市普陀区大渡河路1668号", "phone": "021-52564599"})
    assert response.status_code == 303
    assert admin_client.post(f"/admin/settings/offices/{other_id}/delete").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(OtherOffice)) is None
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "other_office")
                                  .order_by(AuditEntry.id)).all()
        assert [r.action for r in rows] == ["other_office_add", "other_office_update", "other_office_delete"]
        assert '"phone": "021-52564588"' in rows[1].before and '"phone": "021-52564599"' in rows[1].after
        assert rows[2].summary == "删除其他机关：上海市普陀区住房保障和房屋管理局"


def test_an_other_office_without_contact_details_or_with_a_taken_name_is_refused_with_input_kept(admin_client, app):
    response = admin_client.post("/admin/settings/offices", data={"other-name": "普陀区民政局"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请至少填写地址或电话" in page and 'value="普陀区民政局"' in page
    admin_client.post("/admin/settings/offices", data={"other-name": "普陀区民政局", "other-phone": "021-1"})
    response = admin_client.post("/admin/settings/offices", data={"other-name": "普陀区民政局",
                                                                   "other-address": "某路2号"})
    assert response.status_code == 422 and "列表中已有“普陀区民政局”" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(OtherOffice.phone)).all() == ["021-1"]


def test_other_office_pages_are_for_the_administrator_only(app, staff):
    staff("clerk", "handler")
    client = app.test_client()
    login(client, "clerk")
    assert client.post("/admin/settings/offices", data={"other-name": "x", "other-phone": "1"}).status_code == 403

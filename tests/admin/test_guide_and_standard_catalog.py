"""The guide's 信息处理费 rule (条例第四十二条 and the 办法) and complaint office (第五十一条) from the settings,
and the 基层政务公开标准目录: public table or its empty state, edited only by the 管理员, every change audited."""
import pytest
from sqlalchemy import select

from portal.catalog import standard
from portal.extensions import db
from portal.models import DEFAULT_OFFICE, EDITOR, HANDLER, REVIEWER, AuditEntry, StandardCatalogItem
from tests.factories.staff import login

ROW = {"matter": "社会救助", "content": "最低生活保障的申请条件和审批结果", "basis": "《社会救助暂行办法》",
       "time_limit": "按月公示", "subject": "社区事务受理服务中心", "channel": "社区公示栏", "audience": "特定群体",
       "method": "主动公开"}


def text(response) -> str:
    """The decoded body."""
    return response.get_data(as_text=True)


def test_the_guide_states_the_fee_rule_and_the_payment_text_of_the_settings(admin_client, client):
    admin_client.post("/admin/settings", data=DEFAULT_OFFICE | {"fee_payment_text": "请到石泉路街道受理窗口缴纳。"})
    guide = text(client.get("/guide"))
    assert "五、信息处理费" in guide and "条例第四十二条" in guide and "国办函〔2020〕109号" in guide
    # 办法第四条: 1–10 free, 11–30 100元, 31–40 200元; 第五条: ≤ 30 pages free, 31–100 10元/页
    assert "累计申请 10 件以内（含）不收费；第 11—30 件每件 100 元" in guide and "第 31—40 件每件 200 元" in guide
    assert "30 页以内（含）不收费；第 31—100 页每页 10 元" in guide
    assert "次日起 20 个工作日内缴费，逾期未缴纳的，视为放弃申请" in guide
    assert "缴纳方式：请到石泉路街道受理窗口缴纳。" in guide


def test_the_guide_names_the_complaint_office_of_the_settings(admin_client, client):
    response = admin_client.post("/admin/settings", data=DEFAULT_OFFICE | {
        "complaint_authority": "上海市普陀区人民政府", "complaint_contact": "电话 021-52564588"})
    assert response.status_code == 302
    guide = text(client.get("/guide"))
    assert "投诉、举报（条例第五十一条）。受理投诉、举报的机关：上海市普陀区人民政府（电话 021-52564588）。" in guide
    with admin_client.application.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(action="office_update"))
        assert entry.summary == "修改机关设置：受理投诉举报的机关、投诉举报联系方式"


def test_the_complaint_office_cannot_be_left_empty(admin_client):
    response = admin_client.post("/admin/settings", data=DEFAULT_OFFICE | {"complaint_authority": " "})
    assert response.status_code == 200 and "请填写此项" in text(response)


def test_the_guide_and_the_footer_link_the_standard_catalog(client):
    assert text(client.get("/guide")).count('href="/standard-catalog"') == 2  # section 一 and the footer


def test_residents_are_told_when_there_is_no_standard_catalog_yet(client):
    page = text(client.get("/standard-catalog"))
    assert "本机关尚未发布基层政务公开标准目录" in page and "<table" not in page


def test_an_admin_adds_a_row_and_residents_see_it_in_the_eight_columns(admin_client, client, app):
    assert admin_client.post("/admin/settings/standard-catalog", data=ROW).status_code == 303
    page = text(client.get("/standard-catalog"))
    headings = [f'<th scope="col">{h}</th>' for h in ("事项", "公开内容", "依据", "时限", "主体", "渠道", "对象", "方式")]
    assert all(h in page for h in headings)
    assert '<th scope="row">社会救助</th>' in page and "<td>社区公示栏</td>" in page
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(action="standard_item_add"))
        assert entry.actor_name == "王主任" and entry.summary == "添加标准目录事项：社会救助"


def test_a_row_with_an_empty_cell_is_refused_in_chinese_and_keeps_what_was_typed(admin_client, app):
    response = admin_client.post("/admin/settings/standard-catalog", data=ROW | {"basis": "", "matter": "财政预决算"})
    assert response.status_code == 422
    assert "请填写公开依据" in text(response) and 'value="财政预决算"' in text(response)
    with app.app_context():
        assert db.session.scalars(select(StandardCatalogItem)).all() == []


def test_an_admin_edits_reorders_and_deletes_rows(admin_client, client, app):
    for matter in ("甲事项", "乙事项", "丙事项"):
        admin_client.post("/admin/settings/standard-catalog", data=ROW | {"matter": matter})
    with app.app_context():
        ids = {item.matter: item.id for item in StandardCatalogItem.ordered()}
    edited = admin_client.post(f"/admin/settings/standard-catalog/{ids['乙事项']}", data=ROW | {
        "matter": "乙事项", "time_limit": "每季度"})
    assert edited.status_code == 303
    admin_client.post(f"/admin/settings/standard-catalog/{ids['丙事项']}/move", data={"direction": "up"})
    top = admin_client.post(f"/admin/settings/standard-catalog/{ids['甲事项']}/move", data={"direction": "up"},
                            follow_redirects=True)
    assert "“甲事项”已在最前，无法再上移" in text(top)
    admin_client.post(f"/admin/settings/standard-catalog/{ids['甲事项']}/delete")
    page = text(client.get("/standard-catalog"))
    assert "甲事项" not in page and page.index("丙事项") < page.index("乙事项") and "<td>每季度</td>" in page
    with app.app_context():
        assert [(i.matter, i.position) for i in StandardCatalogItem.ordered()] == [("丙事项", 1), ("乙事项", 2)]
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "standard_item")).all()
        assert sorted(set(actions)) == ["standard_item_add", "standard_item_delete", "standard_item_move",
                                        "standard_item_update"]


@pytest.mark.parametrize("role", [EDITOR, REVIEWER, HANDLER])
def test_staff_without_the_admin_role_cannot_edit_the_standard_catalog(app, staff, role):
    with app.app_context():
        item_id = standard.add_item(ROW).id
    staff("someone", role)
    client = app.test_client()
    login(client, "someone")
    for method, url in (("GET", "/admin/settings/standard-catalog"), ("POST", "/admin/settings/standard-catalog"),
                        ("POST", f"/admin/settings/standard-catalog/{item_id}"),
                        ("POST", f"/admin/settings/standard-catalog/{item_id}/move"),
                        ("POST", f"/admin/settings/standard-catalog/{item_id}/delete")):
        assert client.open(url, method=method, data=ROW | {"direction": "down"}).status_code == 403, (method, url)
    with app.app_context():
        assert [i.matter for i in StandardCatalogItem.ordered()] == ["社会救助"]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.post("/admin/settings/standard-catalog", data=ROW)
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_demo_rows_fill_an_empty_table_once(ctx):
    assert standard.load_demo_rows() == f"已载入演示内容：基层政务公开标准目录 {len(standard.DEMO_ROWS)} 项。"
    assert standard.load_demo_rows() == "基层政务公开标准目录已有内容，不再载入演示事项。"
    assert len(StandardCatalogItem.ordered()) == len(standard.DEMO_ROWS)

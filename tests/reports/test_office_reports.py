"""Annual reports in a district's portal: each office's report counts only that office's applications,
entries, cases and fees; the district's 汇总 table sums the offices' section 三 (政务公开办, 区级管理员 only)."""
import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.models import AuditEntry, COORDINATOR, DISTRICT_ADMIN, HANDLER, Document, Office, User
from portal.reports import district, lines, services
from tests.factories.catalog import publish
from tests.factories.offices import in_office, make_office
from tests.factories.reports import publish_entries, received, replied, unpaid
from tests.factories.requests import clerk
from tests.factories.staff import login, make_user

D = date


@pytest.fixture
def two_offices(app):
    """The first office and 万镇 (WZ), each with applications of 2025 answered through the services; their ids
    (made in an app context of their own: HTTP requests of the tests must not share one, nor its `g`).

    石泉路 (first office): 2 自然人 予以公开, 1 商业企业 不予公开 · 国家秘密, 1 自然人 received 29 Dec, carried
    into 2026, 1 自然人 of 2026 (not in 2025's report); a 规范性文件 and 2 other entries published in 2025;
    one 行政复议 case.
    万镇: 1 科研机构 予以公开, 1 自然人 ended 逾期未缴费 after a 收费通知书 (200 pages: 收费通知1件); one
    规范性文件 entry; two 行政诉讼 cases.
    """
    with app.app_context():
        ensure_seeded()
        first, wanzhen = Office.first(), make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        make_data(first, wanzhen)
        return first.id, wanzhen.id


def make_data(first: Office, wanzhen: Office) -> None:
    """The applications, entries and cases the fixture describes, through the services."""
    replied("citizen", D(2025, 3, 3), D(2025, 3, 10), "予以公开")
    replied("citizen", D(2025, 4, 1), D(2025, 4, 8), "予以公开")
    replied("business", D(2025, 5, 6), D(2025, 5, 20), "不予公开", ground="属于国家秘密")
    received("citizen", D(2025, 12, 29))
    received("citizen", D(2026, 1, 5))
    publish_entries(2025, 2)
    publish(title="石泉路街道规范性文件", keywords="规范性文件", written_date=D(2025, 2, 3), published_date=D(2025, 2, 4))
    services.record_case({"kind": "行政复议", "year": 2025, "result": "维持"}, office=first)
    with in_office(wanzhen):
        clerk().set_roles_in(wanzhen.id, {HANDLER})
        db.session.commit()
        replied("research", D(2025, 6, 2), D(2025, 6, 9), "予以公开")
        unpaid("citizen", D(2025, 9, 1), D(2025, 10, 20))
        publish(title="万镇街道规范性文件", keywords="规范性文件", publisher=wanzhen.name,
                written_date=D(2025, 2, 3), published_date=D(2025, 2, 4))
    services.record_case({"kind": "行政诉讼", "year": 2025, "result": "纠正"}, office=wanzhen)
    services.record_case({"kind": "行政诉讼", "year": 2025, "result": "尚未审结", "after_review": True},
                         office=wanzhen)


@pytest.fixture
def offices(app, two_offices):
    """The two offices, in an app context for the test (tests that also send requests use two_offices)."""
    with app.app_context():
        yield [db.session.get(Office, office_id) for office_id in two_offices]


def figures_of(office: Office, year: int = 2025) -> dict:
    """The office's report figures for the year as computed now (through the services)."""
    return services.compute(services.blank_report(year, office)).figures()


def test_each_office_report_counts_only_its_own_applications(offices):
    first, wanzhen = offices
    s3 = figures_of(first)["section3"]
    # 石泉路: received in 2025: 2 + 1 + 1 (29 Dec) = 4; finished 3 (2 予以公开, 1 不予公开); carried out 1.
    assert (s3["new"]["total"], s3["total"]["total"], s3["carried_out"]["total"]) == (4, 3, 1)
    assert (s3["disclosed"]["citizen"], s3["refused-1"]["business"]) == (2, 1)
    assert s3["new"]["research"] == 0  # 万镇's 科研机构 application is not 石泉路's
    theirs = figures_of(wanzhen)["section3"]
    # 万镇: received 2 (科研机构, 自然人), finished 2 (予以公开; 其他处理 · 逾期未缴费), nothing carried out.
    assert (theirs["new"]["total"], theirs["total"]["total"], theirs["carried_out"]["total"]) == (2, 2, 0)
    assert theirs["disclosed"]["research"] == 1 and theirs["new"]["business"] == 0
    unpaid_row = lines.row_for(lines.FORMAT_2021, *lines.UNPAID_LINE).key
    assert theirs[unpaid_row]["citizen"] == 1


def test_each_office_report_counts_its_own_entries_cases_and_fees(offices):
    first, wanzhen = offices
    mine, theirs = figures_of(first), figures_of(wanzhen)
    # 石泉路 published 3 entries in 2025, one a 规范性文件; 万镇 one, a 规范性文件.
    assert (mine["published_count"], mine["section2"]["normative.made"]) == (3, "1")
    assert (theirs["published_count"], theirs["section2"]["normative.made"]) == (1, "1")
    # 四: 石泉路 one 行政复议 (维持); 万镇 two 行政诉讼 (one direct 纠正, one after review 尚未审结).
    assert (mine["section4"]["review.total"], mine["section4"]["direct.total"]) == (1, 0)
    assert (theirs["section4"]["review.total"], theirs["section4"]["direct.corrected"],
            theirs["section4"]["after.pending"]) == (0, 1, 1)
    # 六: only 万镇 sent a 收费通知书.
    assert services.live_snapshot(services.blank_report(2025, first))["six_fees"] == "2025年，本机关未收取政府信息公开信息处理费。"
    assert "发出收费通知1件" in services.live_snapshot(services.blank_report(2025, wanzhen))["six_fees"]


def test_publishing_an_office_report_makes_its_entry_in_that_office(app, two_offices, client):
    with app.app_context():
        first, wanzhen = (db.session.get(Office, office_id) for office_id in two_offices)
        report = services.create_draft(2025, office=wanzhen)  # the current office is the first one here
        doc = services.publish(report, D(2026, 1, 20))
        assert doc.office_id == wanzhen.id and doc.publisher == "万镇街道办事处"
        assert doc.index_number.startswith(f"{wanzhen.org_code}/2026-")
        assert services.find_report(2025, first) is None
        assert services.next_report_year(D(2026, 2, 1), first) == 2025
        assert services.next_report_year(D(2026, 2, 1), wanzhen) == 2026
        audited = db.session.scalars(select(AuditEntry.office_id).where(
            AuditEntry.action.in_(["report_create", "report_publish"]))).all()
        assert audited == [wanzhen.id, wanzhen.id]  # the report's office, not the request's
    ours = client.get("/o/wanzhen/annual-reports").get_data(as_text=True)
    assert "万镇街道办事处2025年政府信息公开工作年度报告" in ours
    shared = client.get("/annual-reports").get_data(as_text=True)  # every office's, each under its name
    assert 'href="/o/wanzhen/annual-reports/2025"' in shared and 'href="/annual-reports/2025"' not in shared
    chooser = client.get("/annual-reports/2025").get_data(as_text=True)  # the offices that published 2025
    assert 'href="/o/wanzhen/annual-reports/2025"' in chooser and "石泉路街道办事处2025" not in chooser
    assert client.get("/o/wanzhen/annual-reports/2025").status_code == 200


def district_account(app, username: str, role: str) -> None:
    """An account holding one of the district's roles (and no office role)."""
    with app.app_context():
        account = make_user(username)
        user = db.session.get(User, account.id)
        user.district_role_set = {role}
        db.session.commit()


def test_the_district_summary_sums_the_offices_and_every_column_reconciles(offices):
    first, wanzhen = offices
    services.publish(services.create_draft(2025, office=wanzhen), D(2026, 1, 20))
    summary = district.district_summary(db.session, 2025)
    assert [block.name for block in summary.offices] == [first.name, wanzhen.name]
    assert [block.source for block in summary.offices] == [district.LIVE_SOURCE, district.PUBLISHED_SOURCE]
    for key in district.counted_keys(summary.format):
        for column in summary.total.counts[key]:
            assert summary.total.counts[key][column] == sum(block.counts[key][column] for block in summary.offices)
    # 全区: new 4 + 2 = 6, finished 3 + 2 = 5, carried out 1 + 0 = 1: 6 + 0 = 5 + 1.
    total = summary.total.counts
    assert (total["new"]["total"], total["total"]["total"], total["carried_out"]["total"]) == (6, 5, 1)
    assert summary.balanced and all(check.ok for check in summary.total.checks)


def test_the_district_summary_page_and_csv_show_every_office_and_the_total(app, two_offices, client):
    district_account(app, "zhengwu", COORDINATOR)
    login(client, "zhengwu")
    page = client.get("/admin/reports/district/2025")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "上海市普陀区石泉路街道办事处" in html and "万镇街道办事处" in html and "全区合计" in html
    assert "实时计算" in html and 'scope="rowgroup"' in html and "核对通过" in html
    download = client.get("/admin/reports/district/2025.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    new_rows = {row[0]: row for row in rows[2:] if row[2] == "一、本年新收政府信息公开申请数量"}
    # columns after 机关, 数据来源, 项目: 自然人 … 总计 (总计 last).
    assert (new_rows["上海市普陀区石泉路街道办事处"][-1], new_rows["万镇街道办事处"][-1], new_rows["全区合计"][-1]) == ("4", "2", "6")
    assert client.get("/admin/reports/district").status_code == 302  # to last year's table
    dashboard = client.get("/admin/")  # an account with only a district role has a 工作台 linking the table
    assert dashboard.status_code == 200 and "年报汇总表" in dashboard.get_data(as_text=True)
    assert client.get("/admin/reports/district?year=abc").status_code == 302


def test_the_district_summary_is_refused_to_an_office_handler_and_open_to_the_district_admin(app, two_offices):
    with app.app_context():
        make_user("jingban", HANDLER)
    district_account(app, "quji", DISTRICT_ADMIN)
    handler = app.test_client()
    login(handler, "jingban")
    assert handler.get("/admin/reports/district/2025").status_code == 403
    assert handler.get("/admin/reports/district/2025.csv").status_code == 403
    assert handler.get("/admin/reports/district").status_code == 403
    assert "年报汇总表" not in handler.get("/admin/").get_data(as_text=True)
    admin = app.test_client()
    login(admin, "quji")
    assert admin.get("/admin/reports/district/2025").status_code == 200


def test_office_report_pages_show_and_link_only_their_own_office(app, two_offices):
    with app.app_context():
        wanzhen_title = db.session.scalar(select(Document.title).where(Document.office_id == two_offices[1]))
        make_user("boss", HANDLER)
    client = app.test_client()
    login(client, "boss")
    # The first office's staff page for its 2025 cell of 规范性文件 lists its own entry, not 万镇's.
    page = client.get("/admin/reports/2025/cell/s2.normative.made").get_data(as_text=True)
    assert "石泉路街道规范性文件" in page and wanzhen_title not in page

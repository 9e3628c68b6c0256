"""Staff screens of the annual report: start a draft, trace every number, fill in, record cases, publish."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.info_requests import outcomes as rl
from portal.models import Document
from portal.models.reports import AnnualReport, ReviewCase
from portal.models.staff import ADMIN, EDITOR, HANDLER, AuditEntry
from portal.reports import services
from tests.factories.reports import received, replied
from tests.factories.staff import login


@pytest.fixture
def handler(client, staff, calendar):
    """A signed-in 经办人, with a year of three applications behind them."""
    replied("citizen", date(2025, 3, 3), date(2025, 3, 10), rl.REFUSED, "属于国家秘密")
    replied("legal", date(2025, 4, 1), date(2025, 4, 8), rl.DISCLOSED)
    received("business", date(2025, 12, 29))
    staff("jingban", HANDLER)
    login(client, "jingban")
    return client


def start(client, year=2025):
    """Start a year's draft through the list page's form."""
    return client.post("/admin/reports", data={"year": str(year)})


def test_a_handler_starts_a_draft_with_the_overview_prefilled(handler):
    assert "开始编制" in handler.get("/admin/reports").get_data(as_text=True)
    response = start(handler)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/reports/2025")
    html = handler.get("/admin/reports/2025").get_data(as_text=True)
    assert "核对通过" in html and "受理依申请公开3件" in html
    assert db.session.scalar(select(AnnualReport).filter_by(year=2025)).format == "2021"


@pytest.mark.parametrize("year", ["２０２５", "²⁰²⁵", "1" + "0" * 30, "2007"])
def test_a_year_not_in_ascii_digits_or_out_of_range_is_refused_in_chinese(handler, year):
    response = handler.post("/admin/reports", data={"year": year})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "年度应为2008至2100之间的整数" in html and f'value="{year}"' in html
    assert db.session.scalar(select(AnnualReport)) is None


def test_before_a_draft_exists_the_editor_previews_the_figures(handler):
    html = handler.get("/admin/reports/2024").get_data(as_text=True)
    assert "尚未开始编制2024年度报告" in html and "开始编制2024年度报告" in html


def test_every_number_links_to_the_applications_it_counts_without_personal_data(handler):
    start(handler)
    html = handler.get("/admin/reports/2025").get_data(as_text=True)
    links = set(re.findall(r'href="(/admin/reports/2025/cell/[^"]+)"', html))
    assert "/admin/reports/2025/cell/s3.refused-1.citizen" in links and "/admin/reports/2025/cell/s3.new.total" in links
    cell = handler.get("/admin/reports/2025/cell/s3.new.total").get_data(as_text=True)
    assert cell.count("2025-000") == 3 and "（法律服务机构）" in cell
    assert "张三" not in cell and "13800138000" not in cell
    assert handler.get("/admin/reports/2025/cell/s3.results.total").status_code == 404
    assert handler.get("/admin/reports/2025/cell/nonsense").status_code == 404


def test_saving_the_draft_checks_the_hand_entered_numbers(handler):
    start(handler)
    bad = handler.post("/admin/reports/2025", data={"section_five": "问题", "m_licensing_decisions": "十二"})
    assert bad.status_code == 422 and "请填写不小于0的整数" in bad.get_data(as_text=True)
    good = handler.post("/admin/reports/2025", data={"section_one": "总体。", "section_five": "问题与改进。",
                                                      "m_licensing_decisions": "12", "m_fees_amount": "3.25"})
    assert good.status_code == 302
    report = db.session.scalar(select(AnnualReport).filter_by(year=2025))
    db.session.refresh(report)
    assert report.manual["licensing.decisions"] == "12" and report.section_five == "问题与改进。"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "report_update")).one()
    assert entry.actor_name == "jingban" and "行政许可" in entry.summary


def test_cases_are_recorded_and_counted_in_section_four(handler):
    start(handler)
    response = handler.post("/admin/reports/2025/cases", data={
        "kind": "行政诉讼", "result": "纠正", "after_review": "y", "tracking_number": "2025-0001"})
    assert response.status_code == 302
    case = db.session.scalars(select(ReviewCase)).one()
    assert (case.kind, case.result, case.after_review, case.year) == ("行政诉讼", "纠正", True, 2025)
    html = handler.get("/admin/reports/2025").get_data(as_text=True)
    assert 'href="/admin/reports/2025/cell/s4.after.corrected"' in html
    assert "（选填）（选填）" not in html and "结案日期</label> <span class=\"opt\">（选填）</span>" in html
    unknown = handler.post("/admin/reports/2025/cases", data={"kind": "行政复议", "result": "维持",
                                                               "tracking_number": "2099-9999"})
    assert unknown.status_code == 422 and "没有这个申请编号的申请" in unknown.get_data(as_text=True)
    handler.post(f"/admin/reports/2025/cases/{case.id}/delete")
    assert db.session.scalars(select(ReviewCase)).all() == []


def test_publishing_puts_the_report_on_the_public_page(handler):
    start(handler)
    response = handler.post("/admin/reports/2025/publish")
    assert response.status_code == 302
    page = handler.get("/annual-reports/2025").get_data(as_text=True)
    assert "2025年政府信息公开工作年度报告" in page and "1.属于国家秘密" in page


def test_the_reports_catalog_entry_records_each_publication_by_the_handler(handler):
    start(handler)
    handler.post("/admin/reports/2025/publish")
    report = db.session.scalar(select(AnnualReport).filter_by(year=2025))
    services.update_draft(report, {"section_six": "更正后的内容。"}, {})
    handler.post("/admin/reports/2025/publish")
    doc = db.session.get(Document, report.document_id)
    assert [(e.action, e.actor_name) for e in doc.events] == [("published", "jingban"), ("changed", "jingban")]
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "document").order_by(AuditEntry.id))
    assert [(r.action, r.object_id, r.actor_name) for r in rows] == [
        ("document_publish", str(doc.id), "jingban"), ("document_change", str(doc.id), "jingban")]


def test_a_broken_table_is_not_published_and_the_application_is_named(handler):
    start(handler)
    bad = replied("charity", date(2025, 5, 5), date(2025, 5, 12), rl.DISCLOSED)
    bad.receipt_date = None
    db.session.commit()
    html = handler.get("/admin/reports/2025").get_data(as_text=True)
    assert "核对未通过" in html and bad.tracking_number in html
    response = handler.post("/admin/reports/2025/publish", follow_redirects=True)
    assert bad.tracking_number in response.get_data(as_text=True)
    assert handler.get("/annual-reports/2025").status_code == 404


@pytest.mark.parametrize("role, allowed", [(ADMIN, True), (HANDLER, True), (EDITOR, False)])
def test_admins_and_handlers_may_edit_reports(client, staff, role, allowed):
    staff(f"user-{role}", role)
    login(client, f"user-{role}")
    assert (client.get("/admin/reports").status_code == 200) is allowed

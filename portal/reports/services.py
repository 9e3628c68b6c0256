"""Report drafts, review cases and publishing: one function per state change, one transaction, audited."""
import json
from collections.abc import Iterable
from datetime import date

from flask import current_app
from sqlalchemy import select

from ..catalog import workflow
from ..core import audit
from ..core.clock import office_today, utcnow
from ..core.db import commit, transaction
from ..extensions import db
from ..models import Document, Office
from ..models.reports import PUBLISHED, AnnualReport, ReviewCase
from .export import report_title, snapshot, to_text
from .fee_summary import fee_year, section_six
from .layout import manual_cells
from .lines import format_for_year
from .sections import NORMATIVE_KEYWORDS, Computed, NormativeRule, compute_report, overview_text

REPORT_CATEGORY = "综合政务\\政务公开"
REPORT_DOC_TYPE = "报告"
TEXT_FIELDS = {"section_one": "一、总体情况", "section_five": "五、存在的主要问题及改进情况",
               "section_six": "六、其他需要报告的事项"}
CASE_FIELDS = ("kind", "info_request_id", "year", "result", "after_review", "decided_on", "note")

audit.label_actions({
    "report_create": "新建年度报告", "report_update": "修改年度报告", "report_publish": "发布年度报告",
    "review_case_create": "登记复议诉讼案件", "review_case_delete": "删除复议诉讼案件",
}, {"annual_report": "年度报告", "review_case": "复议诉讼案件"})


def normative_rule() -> NormativeRule:
    """The 规范性文件 rule, with the office's configured 公文种类 (REPORT_NORMATIVE_DOC_TYPES) if any."""
    config = current_app.config
    return NormativeRule(keywords=tuple(config.get("REPORT_NORMATIVE_KEYWORDS", NORMATIVE_KEYWORDS)),
                         doc_types=frozenset(config.get("REPORT_NORMATIVE_DOC_TYPES", ())))


def proposed_year(published: Iterable[int], today: date) -> int:
    """The year 开始编制 proposes: the first year not yet published after the last published report (a backlog
    is worked off in order, oldest first); with nothing published, last year, whose report is due by 31 January
    (条例第四十九条); with last year published too, the year in progress, to be drafted now and published once
    it has ended. Gaps before the last published year are left alone: those were reported elsewhere."""
    after = max(published, default=None)
    if after is None:
        return today.year - 1
    return min(after + 1, today.year)


def next_report_year(today: date, office: Office | None = None) -> int:
    """proposed_year over the office's published reports (the request's office unless one is given)."""
    office = office or Office.current()
    return proposed_year(db.session.scalars(select(AnnualReport.year).where(
        AnnualReport.office_id == office.id, AnnualReport.status == PUBLISHED)), today)


def office_reports(office: Office, *, published_only: bool = False) -> list[AnnualReport]:
    """The office's reports (drafts too unless `published_only`), newest year first."""
    query = select(AnnualReport).where(AnnualReport.office_id == office.id)
    if published_only:
        query = query.where(AnnualReport.status == PUBLISHED, AnnualReport.published_json != "")
    return list(db.session.scalars(query.order_by(AnnualReport.year.desc())))


def find_report(year: int, office: Office | None = None) -> AnnualReport | None:
    """The office's report of a year (the request's office unless one is given), if a draft was started."""
    office = office or Office.current()
    return db.session.scalar(select(AnnualReport).filter_by(office_id=office.id, year=year))


def blank_report(year: int, office: Office | None = None) -> AnnualReport:
    """An unsaved report of the office for a year with no draft yet (to preview its computed figures)."""
    office = office or Office.current()
    return AnnualReport(office_id=office.id, office=office, year=year, format=format_for_year(year),
                        status="draft", manual_json="{}",
                        section_one="", section_five="", section_six="", published_json="")


def office_of(report: AnnualReport) -> Office:
    """The office a report belongs to (also for an unsaved one)."""
    return report.office or db.session.get(Office, report.office_id)


def compute(report: AnnualReport) -> Computed:
    """The report's figures computed now from its office's records (and its hand-entered cells)."""
    return compute_report(db.session, report.year, report.format, report.manual, normative_rule(),
                          office_id=report.office_id)


def live_snapshot(report: AnnualReport, computed: Computed | None = None) -> dict:
    """The draft as it would be published now; section 六 opens with the year's 信息处理费 (computed)."""
    computed = computed or compute(report)
    fees = fee_year(db.session, report.year, office_id=report.office_id).sentence()
    texts = {"one": report.section_one, "five": report.section_five, "six": section_six(fees, report.section_six)}
    return snapshot(report.year, report.format, office_of(report).name, texts, computed.figures()) | {"six_fees": fees}


def create_draft(year: int, *, office: Office | None = None, actor=None) -> AnnualReport:
    """Start the office's report of a year (the request's office unless one is given) in the year's format,
    with 一、总体情况 drafted from the figures."""
    office = office or Office.current()
    report = find_report(year, office)
    if report is not None:
        return report
    report = AnnualReport(office_id=office.id, office=office, year=year, format=format_for_year(year),
                          manual_json="{}")
    report.section_one = overview_text(office.name, compute(report).figures())
    db.session.add(report)
    db.session.flush()
    audit.record("report_create", "annual_report", report.id, f"新建{year}年政府信息公开工作年度报告草稿",
                 actor=actor, office=office)  # the audit row is the office's
    commit()
    return report


def update_draft(report: AnnualReport, texts: dict, manual: dict, *, actor=None) -> list[str]:
    """Save the written sections and hand-entered figures; returns the labels of what changed."""
    labels = dict(TEXT_FIELDS) | {key: label for key, label in manual_cells(report.format)}
    before = audit.snapshot(report, TEXT_FIELDS) | report.manual
    for name in TEXT_FIELDS:
        if name in texts:
            setattr(report, name, (texts[name] or "").strip())
    allowed = {key for key, _ in manual_cells(report.format)}
    report.manual = report.manual | {k: (v or "0").strip() for k, v in manual.items() if k in allowed}
    old, new = audit.changes(before, audit.snapshot(report, TEXT_FIELDS) | report.manual)
    changed = [labels[name] for name in new]
    if changed:
        audit.record("report_update", "annual_report", report.id,
                     f"修改{report.year}年年度报告草稿：{'、'.join(changed)}", before=old, after=new, actor=actor,
                     office=office_of(report))
    commit()
    return changed


def record_case(values: dict, *, office: Office | None = None, actor=None) -> ReviewCase:
    """Record a 行政复议 or 行政诉讼 case for a year's section 四 of the office (the request's unless given)."""
    office = office or Office.current()
    case = ReviewCase(office_id=office.id, **{name: values[name] for name in CASE_FIELDS if name in values})
    if case.kind != "行政诉讼":
        case.after_review = False
    db.session.add(case)
    db.session.flush()
    audit.record("review_case_create", "review_case", case.id, f"登记{case.year}年{case.kind}案件（{case.result}）",
                 after=audit.snapshot(case, CASE_FIELDS), actor=actor, office=office)
    commit()
    return case


def delete_case(case: ReviewCase, *, actor=None) -> None:
    """Remove a case recorded in error."""
    audit.record("review_case_delete", "review_case", case.id, f"删除{case.year}年{case.kind}案件",
                 before=audit.snapshot(case, CASE_FIELDS), actor=actor, office=db.session.get(Office, case.office_id))
    db.session.delete(case)
    commit()


def publish(report: AnnualReport, today: date | None = None, *, actor=None) -> Document:
    """Freeze the report and publish it as a catalog entry (报告, 综合政务\\政务公开) of the report's office in
    one transaction, through the catalog's write path: the entry gets its 发布 (or 变更并重新发布) event and
    audit row, its 索引号 from the office's sequence.

    Refused (ValueError in Chinese) while section 三 does not reconcile: the problems must be fixed first.
    """
    today = today or office_today()
    computed = compute(report)
    if not computed.section3.balanced:
        named = "、".join(p.tracking_number for p in computed.section3.problems) or "见核对结果"
        raise ValueError(f"第三部分表格不能勾稽，请先更正相关申请记录（{named}）后再发布")
    frozen = live_snapshot(report, computed) | {"published_on": today.isoformat()}
    office = office_of(report)
    values = {
        "title": report_title(office.name, report.year), "doc_number": "", "publisher": office.name,
        "written_date": today, "published_date": today, "category": REPORT_CATEGORY,
        "doc_type": REPORT_DOC_TYPE, "validity": "有效", "keywords": "政府信息公开 年度报告",
        "summary": f"{office.name}{report.year}年政府信息公开工作情况（依据《中华人民共和国政府信息公开条例》第五十条）。",
        "body": to_text(frozen),
    }
    if report.document is not None:
        values["index_number"] = report.document.index_number  # republishing updates the same entry
    with office.acting(), transaction():  # the catalog's write path makes and finds the entry in this office
        doc, _ = workflow.record_published(values, actor=actor, action="publish")
        first = not report.published_json
        report.document_id, report.status = doc.id, PUBLISHED
        report.published_json = json.dumps(frozen, ensure_ascii=False)
        report.published_at = utcnow()
        audit.record("report_publish", "annual_report", report.id,
                     f"{'发布' if first else '更新发布'}{report.year}年政府信息公开工作年度报告", actor=actor,
                     office=office)
    workflow.finish(doc)
    return doc

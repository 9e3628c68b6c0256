"""年度报告 (管理员, 经办人): drafts computed from the records, every number traceable, then publish; and the
district's 汇总 table of every office's section 三 (政务公开办, 区级管理员)."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from sqlalchemy import select

from ..accounts.auth import require_district_roles, require_roles
from ..core.clock import office_today
from ..extensions import db
from ..models import Document, InfoRequest, Office
from ..models.reports import AnnualReport, ReviewCase
from ..models.staff import ADMIN, COORDINATOR, DISTRICT_ADMIN, HANDLER
from ..offices.scoping import case_or_404, mine, report_or_404
from . import district, services
from .forms import CaseForm, StartReportForm, draft_form
from .grid import report_layout, section3_rows
from .layout import COMPUTED_CELLS, NORMATIVE_LABELS, section4_label
from .lines import COLUMN_LABELS, COLUMNS, row_by_key
from .sections import overview_text

bp = Blueprint("reports", __name__)


EDITORS = (ADMIN, HANDLER)
DISTRICT = (COORDINATOR, DISTRICT_ADMIN)  # the 汇总 table: the district's roles only
YEAR = "<int(min=2008, max=2100):year>"


def cell_link(year: int):
    """A function the table macros call to link a number to the records it counts."""
    def link(section: str, key: str, column: str | None = None) -> str | None:
        if section == "s2" and key not in COMPUTED_CELLS:
            return None  # entered by hand: nothing to list
        cell = f"{section}.{key}" + (f".{column}" if column else "")
        return url_for("admin.reports.report_cell", year=year, key=cell)
    return link


@bp.get("/reports")
@require_roles(*EDITORS)
def reports():
    """Every year's report with its state, and a form to start one (the first year not yet published)."""
    office = Office.current()
    rows = services.office_reports(office)
    form = StartReportForm(year=services.next_report_year(office_today(), office))
    return render_template("reports/staff/list.html", reports=rows, form=form)


@bp.post("/reports")
@require_roles(*EDITORS)
def report_start():
    """Start (or open) a year's draft."""
    form = StartReportForm()
    if not form.validate_on_submit():
        return render_template("reports/staff/list.html", reports=services.office_reports(Office.current()),
                               form=form), 422
    services.create_draft(form.year.data, office=Office.current())
    return redirect(url_for("admin.reports.report_edit", year=form.year.data))


def _editor(year: int, report: AnnualReport | None, form=None, case_form=None, status: int = 200):
    """Render the editor: live tables with links, reconciliation, the draft form, cases, publish."""
    preview = report or services.blank_report(year, Office.current())
    computed = services.compute(preview)
    data = services.live_snapshot(preview, computed)
    if report is None:
        data["one"] = overview_text(data["office"], data["figures"])
    cases = db.session.scalars(select(ReviewCase).where(ReviewCase.office_id == preview.office_id,
                                                        ReviewCase.year == year).order_by(ReviewCase.id)).all()
    numbers = dict(db.session.execute(select(InfoRequest.id, InfoRequest.tracking_number).where(
        mine(InfoRequest), InfoRequest.id.in_([c.info_request_id for c in cases if c.info_request_id])
    )).all())
    return render_template(
        "reports/staff/edit.html", year=year, report=report, data=data, computed=computed,
        layout=report_layout(preview.format), link=cell_link(year), cases=cases, numbers=numbers,
        form=form or (draft_form(report.format, report) if report else None),
        case_form=case_form or CaseForm(formdata=None), start_form=StartReportForm(year=year),
    ), status


@bp.get(f"/reports/{YEAR}")
@require_roles(*EDITORS)
def report_edit(year: int):
    """The draft editor (or, before a draft exists, the computed figures and a button to start)."""
    return _editor(year, services.find_report(year, Office.current()))


@bp.post(f"/reports/{YEAR}")
@require_roles(*EDITORS)
def report_save(year: int):
    """Save the written sections and hand-entered figures."""
    report = report_or_404(year)
    form = draft_form(report.format, report)
    if not form.validate_on_submit():
        return _editor(year, report, form=form, status=422)
    texts = {name: form[name].data for name in services.TEXT_FIELDS}
    changed = services.update_draft(report, texts, form.manual_values())
    flash(f"已保存：{'、'.join(changed)}。" if changed else "没有修改。", "success")
    return redirect(url_for("admin.reports.report_edit", year=year))


@bp.post(f"/reports/{YEAR}/overview")
@require_roles(*EDITORS)
def report_overview(year: int):
    """Redraft 一、总体情况 from today's figures (the rest of the draft is kept)."""
    report = report_or_404(year)
    text = overview_text(services.live_snapshot(report)["office"], services.compute(report).figures())
    services.update_draft(report, {"section_one": text}, {})
    flash("已按最新数据重新生成“一、总体情况”，请检查后保存。", "success")
    return redirect(url_for("admin.reports.report_edit", year=year) + "#section-one")


@bp.post(f"/reports/{YEAR}/cases")
@require_roles(*EDITORS)
def report_case_add(year: int):
    """Record a 行政复议 or 行政诉讼 case for section 四."""
    report = report_or_404(year)
    form = CaseForm()
    if not form.validate_on_submit():
        return _editor(year, report, case_form=form, status=422)
    case = services.record_case(form.values(year), office=Office.current())
    flash(f"已登记{case.kind}案件（{case.result}）。", "success")
    return redirect(url_for("admin.reports.report_edit", year=year) + "#cases")


@bp.post(f"/reports/{YEAR}/cases/<int:case_id>/delete")
@require_roles(*EDITORS)
def report_case_delete(year: int, case_id: int):
    """Remove a case recorded in error."""
    case = case_or_404(case_id, year)
    services.delete_case(case)
    flash("已删除该案件。", "success")
    return redirect(url_for("admin.reports.report_edit", year=year) + "#cases")


@bp.post(f"/reports/{YEAR}/publish")
@require_roles(*EDITORS)
def report_publish(year: int):
    """Publish: the report is frozen, becomes a catalog entry and appears under 政府信息公开年报."""
    report = report_or_404(year)
    try:
        services.publish(report)
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.reports.report_edit", year=year) + "#check")
    flash(f"{year}年度报告已发布。", "success")
    return redirect(url_for("admin.reports.report_edit", year=year))


@bp.get(f"/reports/{YEAR}/cell/<key>")
@require_roles(*EDITORS)
def report_cell(year: int, key: str):
    """The records one number counts: applications (no personal data), entries or cases."""
    office = Office.current()
    report = services.find_report(year, office) or services.blank_report(year, office)
    computed = services.compute(report)
    section, _, rest = key.partition(".")
    if section == "s3":
        row_key, _, column = rest.rpartition(".")
        row = row_by_key(report.format, row_key)
        if row is None or not row.counted or column not in COLUMN_LABELS:
            abort(404)
        ids, title = computed.section3.ids(row_key, column), f"{row.label} · {COLUMN_LABELS[column]}"
        items = db.session.scalars(select(InfoRequest).where(mine(InfoRequest), InfoRequest.id.in_(ids)).order_by(InfoRequest.id)).all()
        kind = "requests"
    elif section == "s2" and rest in computed.section2:
        ids, title, kind = computed.section2[rest], NORMATIVE_LABELS[rest], "documents"
        items = db.session.scalars(select(Document).where(mine(Document), Document.id.in_(ids)).order_by(Document.id)).all()
    elif section == "s4" and rest in computed.section4:
        ids, title, kind = computed.section4[rest], section4_label(rest), "cases"
        items = db.session.scalars(select(ReviewCase).where(mine(ReviewCase), ReviewCase.id.in_(ids)).order_by(ReviewCase.id)).all()
    else:
        abort(404)
    return render_template("reports/staff/cell.html", year=year, title=title, kind=kind, items=items)


@bp.get("/reports/district")
@require_district_roles(*DISTRICT)
def district_summary():
    """The 汇总 table: the year asked for (?year=), else last year's (whose reports are due by 31 January)."""
    year = request.args.get("year", type=int)
    if year is None or not 2008 <= year <= 2100:
        if "year" in request.args:
            flash("年度应为2008至2100之间的整数，已显示上一年度的汇总表。", "error")
        year = office_today().year - 1
    return redirect(url_for("admin.reports.district_year", year=year))


@bp.get(f"/reports/district/{YEAR}")
@require_district_roles(*DISTRICT)
def district_year(year: int):
    """Section 三 of every office's report for the year, one block per office and the district total."""
    summary = district.district_summary(db.session, year)
    return render_template("reports/staff/district.html", summary=summary, year=year,
                           rows=section3_rows(summary.format), columns=COLUMNS)


@bp.get(f"/reports/district/{YEAR}.csv")
@require_district_roles(*DISTRICT)
def district_csv(year: int):
    """The 汇总 table as CSV (UTF-8 with BOM, opens in Excel)."""
    data = district.to_csv(district.district_summary(db.session, year))
    response = send_file(io.BytesIO(data), mimetype="text/csv", as_attachment=True,
                         download_name=f"{year}年政府信息公开申请办理情况汇总表.csv")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

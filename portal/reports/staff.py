"""年度报告 (管理员, 经办人): drafts computed from the records, every number traceable, then publish."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from ..accounts.auth import require_roles
from ..core.clock import office_today
from ..extensions import db
from ..models import Document, InfoRequest
from ..models.reports import AnnualReport, ReviewCase
from ..models.staff import ADMIN, HANDLER
from ..offices.scoping import case_or_404, mine, report_or_404
from . import services
from .forms import CaseForm, StartReportForm, draft_form
from .grid import report_layout
from .layout import COMPUTED_CELLS, NORMATIVE_LABELS, section4_label
from .lines import COLUMN_LABELS, row_by_key
from .sections import overview_text

bp = Blueprint("reports", __name__)


EDITORS = (ADMIN, HANDLER)
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
    rows = db.session.scalars(select(AnnualReport).where(mine(AnnualReport)).order_by(AnnualReport.year.desc())).all()
    form = StartReportForm(year=services.next_report_year(office_today()))
    return render_template("reports/staff/list.html", reports=rows, form=form)


@bp.post("/reports")
@require_roles(*EDITORS)
def report_start():
    """Start (or open) a year's draft."""
    form = StartReportForm()
    if not form.validate_on_submit():
        rows = db.session.scalars(select(AnnualReport).where(mine(AnnualReport)).order_by(AnnualReport.year.desc())).all()
        return render_template("reports/staff/list.html", reports=rows, form=form), 422
    services.create_draft(form.year.data)
    return redirect(url_for("admin.reports.report_edit", year=form.year.data))


def _editor(year: int, report: AnnualReport | None, form=None, case_form=None, status: int = 200):
    """Render the editor: live tables with links, reconciliation, the draft form, cases, publish."""
    preview = report or services.blank_report(year)
    computed = services.compute(preview)
    data = services.live_snapshot(preview, computed)
    if report is None:
        data["one"] = overview_text(data["office"], data["figures"])
    cases = db.session.scalars(select(ReviewCase).where(mine(ReviewCase), ReviewCase.year == year).order_by(ReviewCase.id)).all()
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
    return _editor(year, services.find_report(year))


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
    case = services.record_case(form.values(year))
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
    report = services.find_report(year) or services.blank_report(year)
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

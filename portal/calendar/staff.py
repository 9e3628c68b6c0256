"""工作日历 (管理员): view a year, add or change a day, import a year's schedule file."""
import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..accounts.auth import require_roles
from ..core.clock import office_today
from ..extensions import db
from ..models import CalendarYear, Office
from ..models.staff import ADMIN, DISTRICT_ADMIN
from .changes import import_schedule, set_day
from .forms import CalendarDayForm, CalendarImportForm
from .store import (
    MAX_YEAR,
    MIN_YEAR,
    CalendarImportError,
    ensure_seeded,
    load_calendar,
    weekday_name,
    year_entries,
)
from .workdays import estimated_rest_weekdays

bp = Blueprint("calendar", __name__)
YEAR = f"<int(min={MIN_YEAR}, max={MAX_YEAR}):year>"
CHANGERS = (DISTRICT_ADMIN,)  # besides the office's 管理员 (who only views it in a district's portal)
DISTRICT_CHANGES = "本平台各机关共用同一工作日历，修改会重新计算所有机关在办申请的期限，请由区级管理员修改或导入。"


def may_change_calendar(user) -> bool:
    """Whether the account may change the working-day calendar (a day, a year's import): the 管理员 of a
    single-office portal; in a district's portal, whose offices share the calendar, the 区级管理员 only."""
    if Office.several():
        return user.has_district_role(DISTRICT_ADMIN)
    return user.has_role(ADMIN) or user.has_district_role(DISTRICT_ADMIN)


def _changer_only() -> None:
    """403 unless the signed-in account may change the calendar."""
    if not may_change_calendar(current_user):
        abort(403)


def moved_message(moved) -> str:
    """What re-dating did, for the flash message."""
    if not moved:
        return "没有在办申请的期限因此改变。"
    numbers = "、".join(r.tracking_number for r in moved[:10]) + ("等" if len(moved) > 10 else "")
    return f"已重新计算 {len(moved)} 件在办申请的期限（{numbers}），变化已记入各申请的记录。"


def year_view(year: int) -> dict:
    """What the year page shows: whether it is loaded, its special days, its working-day count."""
    loaded = db.session.get(CalendarYear, year)
    entries = year_entries(year) if loaded else []
    workdays = None
    if loaded:
        calendar, day, workdays = load_calendar(), dt.date(year, 1, 1), 0
        while day.year == year:
            workdays += calendar.is_workday(day)
            day += dt.timedelta(days=1)
    estimated = [] if loaded else sorted(estimated_rest_weekdays(year).items())
    years = list(db.session.scalars(select(CalendarYear.year).order_by(CalendarYear.year)))
    return {"year": year, "loaded": loaded, "entries": entries, "workdays": workdays, "estimated": estimated,
            "known_years": years, "weekday_name": weekday_name}


def _year_page(year: int, day_form=None):
    """Render the year page (with the day form, possibly carrying errors)."""
    form = day_form or CalendarDayForm(formdata=None, day=dt.date(year, 1, 1) if year != office_today().year
                                       else office_today())
    return render_template("calendar/calendar.html", form=form, may_change=may_change_calendar(current_user),
                           district_changes=DISTRICT_CHANGES, **year_view(year))


@bp.get("/calendar")
@require_roles(ADMIN, district=CHANGERS)
def calendar():
    """This year's calendar."""
    ensure_seeded()
    return _year_page(office_today().year)


@bp.get(f"/calendar/{YEAR}")
@require_roles(ADMIN, district=CHANGERS)
def calendar_year(year: int):
    """One year's calendar: rest days, make-up working days, or the estimate when not loaded."""
    ensure_seeded()
    return _year_page(year)


@bp.post(f"/calendar/{YEAR}/day")
@require_roles(ADMIN, district=CHANGERS)
def calendar_day(year: int):
    """Add or change one day; open applications are re-dated in the same transaction."""
    _changer_only()
    form = CalendarDayForm()
    if form.validate_on_submit():
        try:
            moved = set_day(form.day.data, form.kind.data, form.note.data)
        except ValueError as exc:
            form.day.errors.append(str(exc))
        else:
            day = form.day.data
            if moved is None:
                flash(f"{day} 的安排没有变化。", "info")
            else:
                flash(f"已修改 {day}（{weekday_name(day)}）。{moved_message(moved)}", "success")
            return redirect(url_for("admin.calendar.calendar_year", year=day.year))
    return _year_page(year, form)


@bp.route("/calendar/import", methods=["GET", "POST"])
@require_roles(ADMIN, district=CHANGERS)
def calendar_import():
    """Upload a year's schedule file; errors are listed with line numbers and nothing is half-imported."""
    _changer_only()
    form = CalendarImportForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            summary, moved = import_schedule(form.file.data.read(), replace=form.replace.data)
        except CalendarImportError as exc:
            errors = exc.errors
        else:
            action = "已替换" if summary.replaced else "已导入"
            flash(f"{action}{summary.year}年的安排：放假 {summary.rest_days} 天，调休上班 {summary.work_days} 天。"
                  f"{moved_message(moved)}", "success")
            return redirect(url_for("admin.calendar.calendar_year", year=summary.year))
    return render_template("calendar/import.html", form=form, errors=errors)

"""The 工作台 (dashboard): links to the areas a user may use, and warnings that need action."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import select

from .. import search
from ..accounts.auth import require_roles
from ..core.clock import office_today
from ..extensions import db
from ..calendar.staff import may_change_calendar
from ..models import CalendarYear, Office
from ..models.staff import DISTRICT_ROLES, ROLES
from . import bp


@dataclass(frozen=True)
class Area:
    """A link on the dashboard and in the staff navigation; who sees it follows the endpoint's roles."""

    label: str
    endpoint: str
    description: str


# The areas of the staff shell, in the order the dashboard lists them; each package owns its pages.
AREAS = (
    Area("账户管理", "admin.accounts.accounts", "新建工作人员账户、分配角色、重置密码、停用账户"),
    Area("操作日志", "admin.audit_log", "查询工作人员的每一次操作：谁、何时、做了什么、修改前后"),
    Area("工作日历", "admin.calendar.calendar", "查看各年节假日与调休安排，修改某一天，导入国务院公布的下一年安排"),
    Area("主动公开信息", "admin.entries.entries", "起草、审核、发布、变更、废止和撤回主动公开信息；第二十六条公开期限提醒"),
    Area("机关设置", "admin.settings", "机关名称、机构代码、索引号格式、地址电话、复议机关、文书编号前缀"),
    Area("依申请公开办理", "admin.requests.requests", "待确认、办理中、待补正、即将到期和已逾期的申请；登记纸质申请，确认、补正、延期、答复"),
    Area("年度报告", "admin.reports.reports", "编制政府信息公开工作年度报告：自动统计、逐项核对、填写说明、发布"),
    Area("各机关待确认申请", "admin.requests.unconfirmed", "政务公开办：各机关尚未确认的申请，可转至负责公开的机关办理"),
    Area("年报汇总表", "admin.reports.district_summary", "全区各机关年度报告第三部分（申请办理情况）的汇总表，逐列核对，可下载"),
    Area("机关管理", "admin.offices", "区级管理员：新增和修改本平台服务的机关，为各机关的账户分配角色"),
)


def areas_for(user) -> list[Area]:
    """The areas this user may open, in the order they were added."""
    shown = []
    for area in AREAS:
        view = current_app.view_functions.get(area.endpoint)
        roles = getattr(view, "required_roles", None)
        district = getattr(view, "required_district_roles", frozenset())
        if (roles and user.has_role(*roles)) or (district and user.has_district_role(*district)):
            shown.append(area)
    return shown


@bp.app_context_processor
def inject_staff_areas():
    """Staff pages show the areas the signed-in user may use (computed only when asked)."""
    return {"staff_areas": lambda: areas_for(current_user) if current_user.is_authenticated else []}


def calendar_banner(today: date, loaded_years: Iterable[int]) -> str | None:
    """From 1 November, a warning while next year's holiday schedule is not loaded (and at any time
    while this year's is not); else None.
    """
    loaded = set(loaded_years)
    if today.year not in loaded:
        return (f"今年（{today.year}年）的节假日安排尚未载入工作日历，期限只能按估算显示。"
                "请尽快导入国务院办公厅公布的安排。")
    next_year = today.year + 1
    if today < date(today.year, 11, 1) or next_year in loaded:
        return None
    return (f"明年（{next_year}年）的节假日安排尚未载入工作日历。国务院办公厅公布安排后请及时导入；"
            f"在此之前，落在{next_year}年的期限只能按估算显示。")


@bp.get("/")
@require_roles(*ROLES, district=DISTRICT_ROLES)
def dashboard():
    """工作台: the user's roles, the areas they may use, and warnings that need action."""
    loaded = db.session.scalars(select(CalendarYear.year).where(CalendarYear.year >= office_today().year))
    return render_template("admin/dashboard.html", areas=areas_for(current_user),
                           banner=calendar_banner(office_today(), loaded), can_import=may_change_calendar(current_user),
                           importer="区级管理员" if Office.several() else "管理员",
                           search_damage=search.index_problem())

"""操作日志: staff search the audit log (read only; nobody can change it)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import abort, redirect, request
from flask_login import current_user
from sqlalchemy import Select, false, or_, select

from ..accounts.auth import require_roles
from ..core import audit
from ..core.clock import OFFICE_TZ
from ..core.paging import page_number
from ..core.rendering import render
from ..extensions import db
from ..models.office import Office
from ..models.staff import ADMIN, DISTRICT_ADMIN, HEAD, AuditEntry
from ..offices import shared_url, url_office
from ..offices.scoping import mine
from . import bp

PAGE_SIZE = 50
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # what <input type=date> sends
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)  # dates a search may name; the portal's log lies within


def _date(value: str | None, label: str, notices: list[str]) -> date | None:
    """A YYYY-MM-DD argument within EARLIEST…LATEST; None when absent, or with a notice when unusable."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if ISO_DATE.fullmatch(value) else None
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        notices.append(f"{label}“{value[:20]}”无效（应为 {EARLIEST} 至 {LATEST} 之间的日期，如 2026-03-01），已忽略。")
        return None
    return day


@dataclass(frozen=True)
class AuditFilters:
    """The search form's values, read from the query string."""

    q: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    notices: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def from_args(cls, args) -> AuditFilters:
        """Parse the query string leniently: bad values are ignored with a notice, not errors."""
        notices: list[str] = []
        return cls(q=args.get("q", "").strip()[:100], action=args.get("action", "").strip()[:40],
                   object_type=args.get("object_type", "").strip()[:40],
                   object_id=args.get("object_id", "").strip()[:64],
                   date_from=_date(args.get("from"), "起始日期", notices),
                   date_to=_date(args.get("to"), "截止日期", notices),
                   page=page_number(args.get("page")), notices=notices)

    def statement(self, *, office: bool = True, district: bool = False) -> Select:
        """The matching entries, newest first: the current office's (actions taken in its pages) and, with
        `district`, the district-level ones (sign-ins and the shared pages of a district's portal)."""
        shown = [mine(AuditEntry)] if office else []
        if district:
            shown.append(AuditEntry.office_id.is_(None))
        stmt = select(AuditEntry).where(or_(*shown) if shown else false())
        if self.q:
            stmt = stmt.where(or_(AuditEntry.summary.contains(self.q, autoescape=True),
                                  AuditEntry.actor_name.contains(self.q, autoescape=True)))
        if self.action:
            stmt = stmt.where(AuditEntry.action == self.action)
        if self.object_type:
            stmt = stmt.where(AuditEntry.object_type == self.object_type)
        if self.object_id:
            stmt = stmt.where(AuditEntry.object_id == self.object_id)
        if self.date_from:
            stmt = stmt.where(AuditEntry.at >= datetime.combine(self.date_from, time(), OFFICE_TZ))
        if self.date_to:
            stmt = stmt.where(AuditEntry.at < datetime.combine(self.date_to + timedelta(days=1), time(), OFFICE_TZ))
        return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())

    def args(self, **changes) -> dict:
        """Query-string arguments keeping these filters, with some changed."""
        values = {"q": self.q, "action": self.action, "object_type": self.object_type, "object_id": self.object_id,
                  "from": self.date_from.isoformat() if self.date_from else "",
                  "to": self.date_to.isoformat() if self.date_to else "", "page": self.page if self.page > 1 else ""}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None)}

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return any((self.q, self.action, self.object_type, self.object_id, self.date_from, self.date_to))


def changed_fields(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """(field, before, after) for an entry's recorded values."""
    before, after = audit.loads(entry.before), audit.loads(entry.after)
    return [(key, before.get(key), after.get(key)) for key in dict.fromkeys([*before, *after])]


def log_scope() -> tuple[bool, bool]:
    """Which entries the signed-in account reads here: (the office's, the district-level ones). An office's
    管理员 or 负责人 reads the office's; the 区级管理员 reads the district-level entries on the portal's own
    page (/admin/audit of a district's portal). 403 for anyone else."""
    office = current_user.has_role(ADMIN, HEAD)
    district = (url_office() is None and current_user.has_district_role(DISTRICT_ADMIN) and Office.several())
    if not (office or district):
        abort(403)
    return office, district


def district_log_elsewhere() -> bool:
    """Whether a 区级管理员 who is not this office's 管理员 or 负责人 opened an office's log (the staff menu links
    it on every office's pages): their log is the portal's own page."""
    return (url_office() is not None and not current_user.has_role(ADMIN, HEAD)
            and current_user.has_district_role(DISTRICT_ADMIN))


@bp.get("/audit")
@require_roles(ADMIN, HEAD, district=(DISTRICT_ADMIN,))
def audit_log():
    """Search the audit log; htmx swaps only the results."""
    if district_log_elsewhere():
        return redirect(shared_url("admin.audit_log"))
    filters = AuditFilters.from_args(request.args)
    office, district = log_scope()
    page = db.paginate(filters.statement(office=office, district=district), page=filters.page,
                       per_page=PAGE_SIZE, error_out=False, count=True)
    actions = sorted(set(audit.ACTION_LABELS) | set(db.session.scalars(select(AuditEntry.action).distinct())))
    return render("admin/audit.html", "results", filters=filters, page=page, actions=actions,
                  scope=(Office.current().name if office else None, district),
                  action_labels=audit.ACTION_LABELS, object_labels=audit.OBJECT_LABELS, changed_fields=changed_fields)

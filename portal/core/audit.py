"""The audit log: every staff service calls `record` inside its own transaction (the caller commits).

    audit.record("office_update", "office", office.id, "修改机关设置", before=old, after=new)

`snapshot(obj, fields)` gives the JSON-able before/after dicts; `changes(before, after)` keeps only the
fields that differ. Entries are append-only (see portal.models.staff).
"""
from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models.office import Office
from ..models.staff import AuditEntry, User
from .clock import OFFICE_TZ, utcnow
from .urls import url_office

# Chinese names for the 操作日志: each package names the actions it audits (and the kinds of object they
# touch) with label_actions(), beside the services that record them.
ACTION_LABELS: dict[str, str] = {}
OBJECT_LABELS: dict[str, str] = {}


def label_actions(actions: dict[str, str], objects: dict[str, str] | None = None) -> None:
    """Name audited actions (and object kinds) in Chinese, so staff never see a raw code in the 操作日志."""
    ACTION_LABELS.update(actions)
    OBJECT_LABELS.update(objects or {})


def _jsonable(value):
    """A value json.dumps can write, readable by staff (dates as ISO text)."""
    if isinstance(value, datetime):
        return value.astimezone(OFFICE_TZ).isoformat(timespec="seconds") if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def snapshot(obj, fields: Iterable[str]) -> dict:
    """The named attributes of `obj` as a JSON-able dict, for before/after."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, from each side."""
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def local_time(moment: datetime) -> str:
    """A timestamp as staff read it: office time, to the minute."""
    return moment.astimezone(OFFICE_TZ).strftime("%Y-%m-%d %H:%M")


def _dump(data: dict | None) -> str | None:
    """JSON text with Chinese kept readable."""
    if data is None:
        return None
    return json.dumps(_jsonable(data), ensure_ascii=False, sort_keys=True)


def _opened_as_member() -> bool:
    """Whether the request's page is one of an office's own pages that the signed-in account opened through
    its roles there (the first office's staff pages at /admin/…), not through a district role."""
    view = current_app.view_functions.get(request.endpoint or "")
    roles = getattr(view, "required_roles", None)
    return bool(roles) and bool(current_user) and current_user.is_authenticated and current_user.has_role(*roles)


def entry_office_id(office: Office | None = None) -> int | None:
    """The office an entry belongs to (whose 操作日志 shows it): the one given, else the office whose pages the
    action was taken in: the URL's (/o/<code>/…), the only office of a single-office portal, the office a
    command acts for (Office.acting), or the first office for its own staff pages at /admin/…; None on the
    shared pages of a district's portal (sign-in, 机关管理, district pages): a district-level entry."""
    if office is not None:
        return office.id
    if not has_request_context():
        return Office.current().id
    here = url_office()
    if here is not None:
        return here.id
    if not Office.several() or _opened_as_member():
        return Office.current().id
    return None


def record(action: str, obj_type: str, obj_id, summary: str, before: dict | None = None,
           after: dict | None = None, *, actor: User | str | None = None,
           office: Office | None = None) -> AuditEntry:
    """Add one audit entry to the current transaction; the caller commits.

    The actor is the signed-in user unless given (a User, or a name such as "命令行" for the shell). The entry
    belongs to the office of the page (see entry_office_id) unless `office` is given: a service acting on
    another office's row (re-dating its applications, writing its report) names that row's office.
    """
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user._get_current_object()
    entry = AuditEntry(
        at=utcnow(),
        actor_id=actor.id if isinstance(actor, User) else None,
        actor_name=(actor.name if isinstance(actor, User) else (actor or "系统"))[:50],
        action=action,
        object_type=obj_type,
        object_id="" if obj_id is None else str(obj_id),
        summary=summary,
        before=_dump(before),
        after=_dump(after),
        ip=(request.remote_addr or "")[:45] if has_request_context() else "",
        office_id=entry_office_id(office),
    )
    db.session.add(entry)
    return entry


def history(obj_type: str, obj_id) -> list[AuditEntry]:
    """The entries about one object, oldest first (for an object's timeline)."""
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == obj_type, AuditEntry.object_id == str(obj_id))
        .order_by(AuditEntry.at, AuditEntry.id)
    ))


def loads(text: str | None) -> dict:
    """An entry's before/after as a dict (empty when absent)."""
    return json.loads(text) if text else {}

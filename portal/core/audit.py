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

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models.staff import AuditEntry, User
from .clock import OFFICE_TZ, utcnow

# Chinese names for the audit log page; modules that record new actions add theirs here.
ACTION_LABELS = {
    "login": "登录", "login_failed": "登录失败", "account_locked": "账户锁定", "logout": "退出登录",
    "user_create": "新建账户", "user_update": "修改账户", "user_password": "重置密码",
    "user_activate": "启用账户", "user_deactivate": "停用账户", "office_update": "修改机关设置",
    "calendar_day": "修改工作日历", "calendar_import": "导入节假日安排", "request_redated": "申请期限重新计算",
    # 依申请公开
    "register_request": "登记申请", "confirm_request": "确认收到申请", "request_correction": "要求补正",
    "record_correction": "收到补正", "start_consultation": "征求意见", "close_consultation": "结束征求意见",
    "approve_extension": "批准延期", "set_delay": "确定延迟答复", "reply": "答复", "withdraw_request": "申请撤回",
    "mark_abandoned": "视为放弃", "assign_request": "指定经办人", "reset_query_code": "重新生成查询码",
    "reveal_applicant": "查看完整申请人信息", "view_request": "查看申请", "view_letter": "查看文书",
    # 主动公开
    "document_draft": "起草信息", "document_edit": "修改草稿", "document_submit": "提交审核",
    "document_return": "退回修改", "document_publish": "发布信息", "document_change": "变更信息",
    "document_repeal": "废止信息", "document_expire": "标为失效", "document_withdraw": "撤回信息",
    "document_attachment_delete": "删除附件", "document_import": "导入信息",
    # 年度报告
    "report_create": "新建年度报告", "report_update": "修改年度报告", "report_publish": "发布年度报告",
    "review_case_create": "登记复议诉讼案件", "review_case_delete": "删除复议诉讼案件",
}
OBJECT_LABELS = {
    "user": "账户", "office": "机关设置", "calendar_day": "工作日历", "calendar_year": "工作日历",
    "info_request": "依申请公开申请", "document": "主动公开信息", "annual_report": "年度报告",
    "review_case": "复议诉讼案件",
}


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


def record(action: str, obj_type: str, obj_id, summary: str, before: dict | None = None,
           after: dict | None = None, *, actor: User | str | None = None) -> AuditEntry:
    """Add one audit entry to the current transaction; the caller commits.

    The actor is the signed-in user unless given (a User, or a name such as "命令行" for the shell).
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

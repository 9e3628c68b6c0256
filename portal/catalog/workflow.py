"""Publishing workflow: one function per state change, one transaction each with its audit and event
rows; the search index follows after commit (a failed index update is repaired by `flask reindex`),
attachment files follow the transaction (portal.catalog.attachments). Who may do what is in
portal.catalog.rules.

索引号 are assigned at first publication, not at drafting, so abandoned drafts leave no gaps in the
public sequence and the number's year follows the final 成文日期. A change to a published entry
republishes it with a new 发布日期 (today); 废止 and 失效 keep the 发布日期 and record the step.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date

from ..core import audit
from ..core.clock import office_today, utcnow
from ..core.numbers import normalize_doc_number
from ..extensions import db
from ..models import Attachment, Document, Office
from ..models.catalog import STATUS_LABELS, DocumentEvent
from ..models.staff import EDITOR, User
from .attachments import CheckedFile, discard_file, extract_text, save_file
from .rules import WorkflowError, check
from .services import assign_index_number, duplicate_message, duplicate_of, refresh_index

# The fields staff edit; 索引号, 发布日期 and status are set by the workflow.
EDITABLE = ("title", "doc_number", "publisher", "written_date", "category", "doc_type", "validity",
            "repealed_date", "disclosure_method", "disclosure_scope", "timeliness", "keywords",
            "summary", "body")
SNAPSHOT = ("index_number", *EDITABLE, "published_date", "status")
EVENT_LABELS = {
    "drafted": "起草", "edited": "修改草稿", "submitted": "提交审核", "returned": "退回修改",
    "published": "发布", "changed": "变更并重新发布", "repealed": "废止", "expired": "标为失效",
    "withdrawn": "撤回", "attachment_removed": "删除附件",
}
STALE = "此信息在您打开页面之后已被他人修改或处理，请刷新页面，核对后再操作。"

__all__ = ["WorkflowError", "change_published", "delete_attachment", "mark_expired",
           "publish", "repeal", "return_to_draft", "save_draft", "submit_for_review", "update_draft",
           "withdraw"]


def _review_required() -> bool:
    """Whether the office requires a second person to publish."""
    return Office.current().review_required


def _prepare(doc: Document, action: str, user: User, version: int | None) -> None:
    """Lock the row, refuse a stale form, and check the rule for this step."""
    db.session.refresh(doc, with_for_update=True)
    if version is not None and version != doc.version:
        raise WorkflowError(STALE)
    check(action, doc, user, _review_required())


def _check_unique(doc: Document) -> None:
    """Refuse an entry whose 发文字号 + 发布机构 another entry already has."""
    other = duplicate_of(doc.doc_number, doc.publisher, doc.id)
    if other is not None:
        raise WorkflowError(duplicate_message(other))


def _apply(doc: Document, values: dict) -> None:
    """Copy the editable fields (发文字号 normalised); a 废止日期 is kept only for a repealed entry."""
    for name in EDITABLE:
        if name in values:
            setattr(doc, name, values[name])
    doc.doc_number = normalize_doc_number(doc.doc_number)
    if doc.validity != "废止":
        doc.repealed_date = None


def _attach(doc: Document, files: Iterable[CheckedFile]) -> list[str]:
    """Store each file under a generated name and attach it; their names."""
    names = []
    for checked in files:
        doc.attachments.append(Attachment(filename=checked.filename, stored_name=save_file(checked),
                                          mime_type=checked.mime_type, size=len(checked.data),
                                          text=extract_text(checked)))
        names.append(checked.filename)
    return names


def _snapshot(doc: Document) -> dict:
    """The entry's fields and attachment names, for audit before/after and publication history."""
    data = audit.snapshot(doc, SNAPSHOT)
    data["attachments"] = [a.filename for a in doc.attachments]
    return data


def _event(doc: Document, user: User, action: str, note: str = "", *, published: bool = False) -> None:
    """Append a history row; a publication also keeps its 发布日期 and what was published."""
    doc.events.append(DocumentEvent(
        at=utcnow(), actor_id=user.id, actor_name=user.name[:50], action=action, status=doc.status,
        published_date=doc.published_date if published else None, note=note,
        snapshot=json.dumps(_snapshot(doc), ensure_ascii=False, sort_keys=True) if published else None,
    ))


def _record(doc: Document, user: User, action: str, summary: str, before: dict | None) -> None:
    """Bump the version, flush for an id, and write the audit entry (changed fields only)."""
    doc.version = (doc.version or 0) + 1
    db.session.flush()
    after = _snapshot(doc)
    if before is not None:
        before, after = audit.changes(before, after)
    audit.record(f"document_{action}", "document", doc.id, summary, before=before, after=after, actor=user)


def _finish(doc: Document) -> Document:
    """Commit (on failure rolled back, and the files this step wrote go with it); then the index follows."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    refresh_index([doc])
    return doc


@contextmanager
def _step():
    """Undo a step refused or failing before its commit: roll back (the files it wrote go with it)."""
    try:
        yield
    except Exception:
        db.session.rollback()
        raise


def _title(doc: Document) -> str:
    """The entry's name as quoted in audit summaries."""
    return f"“{doc.title[:60]}”"


def save_draft(values: dict, files: Iterable[CheckedFile], user: User) -> Document:
    """An 编辑 starts a new entry as a draft (not public, not searchable)."""
    if not user.has_role(EDITOR):
        raise WorkflowError("只有编辑可以起草信息")
    doc = Document(status="draft", author_id=user.id, index_number=None, published_date=None, version=0)
    with _step():
        _apply(doc, values)
        _check_unique(doc)
        db.session.add(doc)
        names = _attach(doc, files)
        db.session.flush()
        _event(doc, user, "drafted", f"附件：{'、'.join(names)}" if names else "")
        _record(doc, user, "draft", f"起草主动公开信息{_title(doc)}", None)
    return _finish(doc)


def update_draft(doc: Document, values: dict, files: Iterable[CheckedFile], user: User, *,
                 version: int | None = None) -> Document:
    """An 编辑 edits a draft and may add attachments."""
    with _step():
        _prepare(doc, "edit", user, version)
        before = _snapshot(doc)
        _apply(doc, values)
        _check_unique(doc)
        names = _attach(doc, files)
        _event(doc, user, "edited", f"新增附件：{'、'.join(names)}" if names else "")
        _record(doc, user, "edit", f"修改草稿{_title(doc)}", before)
    return _finish(doc)


def submit_for_review(doc: Document, user: User, *, version: int | None = None) -> Document:
    """An 编辑 hands the draft to a 审核."""
    with _step():
        _prepare(doc, "submit", user, version)
        before = _snapshot(doc)
        doc.status, doc.submitted_at = "review", utcnow()
        _event(doc, user, "submitted")
        _record(doc, user, "submit", f"提交审核{_title(doc)}", before)
    return _finish(doc)


def return_to_draft(doc: Document, user: User, reason: str = "", *, version: int | None = None) -> Document:
    """Send an entry under review back to drafting, with the reason for the 编辑."""
    with _step():
        _prepare(doc, "return", user, version)
        before = _snapshot(doc)
        doc.status = "draft"
        _event(doc, user, "returned", reason.strip())
        _record(doc, user, "return", f"退回修改{_title(doc)}" + (f"：{reason.strip()}" if reason.strip() else ""),
                before)
    return _finish(doc)


def publish(doc: Document, user: User, *, today: date | None = None, version: int | None = None) -> Document:
    """Publish: 发布日期 is today, the 索引号 is assigned the first time; public and searchable after commit."""
    today = today or office_today()
    with _step():
        _prepare(doc, "publish", user, version)
        if doc.written_date and doc.written_date > today:
            raise WorkflowError("成文日期晚于今天，不能发布")
        _check_unique(doc)
        before = _snapshot(doc)
        doc.status, doc.published_date = "published", today
        doc.reviewer_id, doc.published_at, doc.withdrawn_at = user.id, utcnow(), None
        with db.session.no_autoflush:
            assign_index_number(doc)
        _event(doc, user, "published", published=True)
        _record(doc, user, "publish", f"发布{_title(doc)}，发布日期 {today.isoformat()}", before)
    return _finish(doc)


def change_published(doc: Document, values: dict, files: Iterable[CheckedFile], user: User, *,
                     today: date | None = None, version: int | None = None) -> Document:
    """A 审核 changes a published entry: it is republished with 发布日期 today; the history keeps the old one."""
    today = today or office_today()
    with _step():
        _prepare(doc, "change", user, version)
        before = _snapshot(doc)
        previous = doc.published_date
        _apply(doc, values)
        _check_unique(doc)
        names = _attach(doc, files)
        doc.published_date, doc.published_at, doc.reviewer_id = today, utcnow(), user.id
        note = f"原发布日期 {previous.isoformat()}" if previous else ""
        if names:
            note += f"；新增附件：{'、'.join(names)}"
        _event(doc, user, "changed", note.lstrip("；"), published=True)
        _record(doc, user, "change", f"变更并重新发布{_title(doc)}，发布日期 {today.isoformat()}", before)
    return _finish(doc)


def repeal(doc: Document, user: User, repealed_date: date, reason: str = "", *,
           version: int | None = None) -> Document:
    """Mark a published entry 废止 from a date; it stays public, labelled, with its 发布日期."""
    with _step():
        _prepare(doc, "repeal", user, version)
        if doc.written_date and repealed_date < doc.written_date:
            raise WorkflowError("废止日期不能早于成文日期")
        before = _snapshot(doc)
        doc.validity, doc.repealed_date = "废止", repealed_date
        note = f"废止日期 {repealed_date.isoformat()}" + (f"；{reason.strip()}" if reason.strip() else "")
        _event(doc, user, "repealed", note)
        _record(doc, user, "repeal", f"废止{_title(doc)}，{note}", before)
    return _finish(doc)


def mark_expired(doc: Document, user: User, reason: str = "", *, version: int | None = None) -> Document:
    """Mark a published entry 失效; it stays public, labelled."""
    with _step():
        _prepare(doc, "expire", user, version)
        before = _snapshot(doc)
        doc.validity = "失效"
        _event(doc, user, "expired", reason.strip())
        _record(doc, user, "expire", f"标为失效{_title(doc)}" + (f"：{reason.strip()}" if reason.strip() else ""),
                before)
    return _finish(doc)


def withdraw(doc: Document, user: User, reason: str, *, version: int | None = None) -> Document:
    """Take a published entry off the portal: no longer in the catalog, removed from the index."""
    if not (reason or "").strip():
        raise WorkflowError("请填写撤回原因")
    with _step():
        _prepare(doc, "withdraw", user, version)
        before = _snapshot(doc)
        doc.status, doc.withdrawn_at = "withdrawn", utcnow()
        _event(doc, user, "withdrawn", reason.strip())
        _record(doc, user, "withdraw", f"撤回{_title(doc)}：{reason.strip()}", before)
    return _finish(doc)


def delete_attachment(doc: Document, attachment: Attachment, user: User, *, today: date | None = None,
                      version: int | None = None) -> Document:
    """Remove an attachment: from a draft by an 编辑; from a published entry by a 审核, which republishes it."""
    today = today or office_today()
    with _step():
        _prepare(doc, "delete_attachment", user, version)
        if attachment not in doc.attachments:
            raise WorkflowError("附件不属于此信息")
        before = _snapshot(doc)
        doc.attachments.remove(attachment)
        discard_file(attachment.stored_name)
        note = f"删除附件“{attachment.filename}”"
        if doc.status == "published":
            previous = doc.published_date
            doc.published_date, doc.published_at, doc.reviewer_id = today, utcnow(), user.id
            _event(doc, user, "changed", f"{note}；原发布日期 {previous.isoformat() if previous else '无'}",
                   published=True)
        else:
            _event(doc, user, "attachment_removed", note)
        _record(doc, user, "attachment_delete", f"{note}（{_title(doc)}，{STATUS_LABELS[doc.status]}）", before)
    return _finish(doc)

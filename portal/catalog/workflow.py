"""The one write path of the catalog: one function per state change, one transaction each with its
event and audit rows; the filter choices follow after commit, and the search index through the change
log each commit writes (portal.search). Staff take the review steps; the importer, the annual report and
test data publish through `record_published`. Who may do what is in portal.catalog.rules, the parts
every step is made of in portal.catalog.steps.

索引号 are assigned at first publication, not at drafting, so abandoned drafts leave no gaps in the
public sequence and the number's year follows the final 成文日期. A change to a published entry
republishes it with a new 发布日期 (today); 废止 and 失效 keep the 发布日期 and record the step.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date

from ..core import audit
from ..core.clock import office_today, utcnow
from ..core.db import transaction
from ..extensions import db
from ..models import Attachment, Document, Office
from ..models.catalog import STATUS_LABELS, DocumentEvent
from ..models.staff import EDITOR, User
from .attachments import CheckedFile, discard_file
from .identity import assign_index_number, find_existing
from .rules import WorkflowError
from .steps import apply_fields, attach, check_unique, finish, lock, prepare, snapshot

EVENT_LABELS = {
    "drafted": "起草", "edited": "修改草稿", "submitted": "提交审核", "returned": "退回修改",
    "published": "发布", "changed": "变更并重新发布", "repealed": "废止", "expired": "标为失效",
    "withdrawn": "撤回", "attachment_removed": "删除附件", "imported": "导入",
    "related": "关联信息", "unrelated": "取消关联",  # portal.catalog.relations
}

audit.label_actions({
    "document_draft": "起草信息", "document_edit": "修改草稿", "document_submit": "提交审核",
    "document_return": "退回修改", "document_publish": "发布信息", "document_change": "变更信息",
    "document_repeal": "废止信息", "document_expire": "标为失效", "document_withdraw": "撤回信息",
    "document_attachment_delete": "删除附件", "document_import": "导入信息",
}, {"document": "主动公开信息"})

__all__ = ["EVENT_LABELS", "WorkflowError", "change_published", "delete_attachment", "finish",
           "import_conflict", "mark_expired", "publish", "record_published", "repeal", "return_to_draft",
           "save_draft", "step", "submit_for_review", "update_draft", "withdraw"]


def _record(doc: Document, user: User | str | None, action: str, summary: str, before: dict | None, *,
            event: str, note: str = "", published: bool = False) -> None:
    """Bump the version, flush for an id, write the audit row (changed fields only) and the history row
    by the same actor; a publication's history row keeps its 发布日期 and what was published."""
    doc.version = (doc.version or 0) + 1
    db.session.flush()
    after = snapshot(doc)
    old, new = audit.changes(before, after) if before is not None else (None, after)
    entry = audit.record(f"document_{action}", "document", doc.id, summary, before=old, after=new, actor=user)
    doc.events.append(DocumentEvent(
        at=entry.at, actor_id=entry.actor_id, actor_name=entry.actor_name, action=event, status=doc.status,
        published_date=doc.published_date if published else None, note=note,
        snapshot=json.dumps(after, ensure_ascii=False, sort_keys=True) if published else None,
    ))


def _title(doc: Document) -> str:
    """The entry's name as quoted in audit summaries."""
    return f"“{doc.title[:60]}”"


def _added(names: list[str], label: str = "新增附件") -> str:
    """The history note for attachments added in a step."""
    return f"{label}：{'、'.join(names)}" if names else ""


def save_draft(values: dict, files: Iterable[CheckedFile], user: User, *,
               linked: Callable[[Document], None] | None = None) -> Document:
    """An 编辑 starts a new entry as a draft (not public, not searchable); `linked(doc)` adds the caller's
    rows to the same transaction (an application's Art. 44 link), so both commit or neither does."""
    if not user.has_role(EDITOR):
        raise WorkflowError("只有编辑可以起草信息")
    doc = Document(office_id=Office.current().id, status="draft", author_id=user.id, index_number=None, published_date=None, version=0)
    with transaction():
        apply_fields(doc, values)
        check_unique(doc)
        db.session.add(doc)
        names = attach(doc, files)
        _record(doc, user, "draft", f"起草主动公开信息{_title(doc)}", None, event="drafted",
                note=_added(names, "附件"))
        if linked is not None:
            linked(doc)
    finish(doc)
    return doc


def update_draft(doc: Document, values: dict, files: Iterable[CheckedFile], user: User, *,
                 version: int | None = None) -> Document:
    """An 编辑 edits a draft and may add attachments."""
    with transaction():
        prepare(doc, "edit", user, version)
        before = snapshot(doc)
        apply_fields(doc, values)
        check_unique(doc)
        names = attach(doc, files)
        _record(doc, user, "edit", f"修改草稿{_title(doc)}", before, event="edited", note=_added(names))
    finish(doc)
    return doc


def submit_for_review(doc: Document, user: User, *, version: int | None = None) -> Document:
    """An 编辑 hands the draft to a 审核."""
    with transaction():
        prepare(doc, "submit", user, version)
        before = snapshot(doc)
        doc.status, doc.submitted_at = "review", utcnow()
        _record(doc, user, "submit", f"提交审核{_title(doc)}", before, event="submitted")
    finish(doc)
    return doc


def return_to_draft(doc: Document, user: User, reason: str = "", *, version: int | None = None) -> Document:
    """Send an entry under review back to drafting, with the reason for the 编辑."""
    reason = reason.strip()
    with transaction():
        prepare(doc, "return", user, version)
        before = snapshot(doc)
        doc.status = "draft"
        _record(doc, user, "return", f"退回修改{_title(doc)}" + (f"：{reason}" if reason else ""), before,
                event="returned", note=reason)
    finish(doc)
    return doc


def publish(doc: Document, user: User, *, today: date | None = None, version: int | None = None) -> Document:
    """Publish: 发布日期 is today, the 索引号 is assigned the first time; public and searchable after commit."""
    today = today or office_today()
    with transaction():
        prepare(doc, "publish", user, version)
        if doc.written_date and doc.written_date > today:
            raise WorkflowError("成文日期晚于今天，不能发布")
        check_unique(doc)
        before = snapshot(doc)
        doc.status, doc.published_date = "published", today
        doc.reviewer_id, doc.published_at, doc.withdrawn_at = user.id, utcnow(), None
        with db.session.no_autoflush:
            assign_index_number(doc)
        _record(doc, user, "publish", f"发布{_title(doc)}，发布日期 {today.isoformat()}", before,
                event="published", published=True)
    finish(doc)
    return doc


def change_published(doc: Document, values: dict, files: Iterable[CheckedFile], user: User, *,
                     today: date | None = None, version: int | None = None) -> Document:
    """A 审核 changes a published entry: it is republished with 发布日期 today; the history keeps the old one."""
    today = today or office_today()
    with transaction():
        prepare(doc, "change", user, version)
        before = snapshot(doc)
        previous = doc.published_date
        apply_fields(doc, values)
        check_unique(doc)
        names = attach(doc, files)
        doc.published_date, doc.published_at, doc.reviewer_id = today, utcnow(), user.id
        note = "；".join(filter(None, [f"原发布日期 {previous.isoformat()}" if previous else "", _added(names)]))
        _record(doc, user, "change", f"变更并重新发布{_title(doc)}，发布日期 {today.isoformat()}", before,
                event="changed", note=note, published=True)
    finish(doc)
    return doc


def repeal(doc: Document, user: User, repealed_date: date, reason: str = "", *,
           version: int | None = None) -> Document:
    """Mark a published entry 废止 from a date; it stays public, labelled, with its 发布日期."""
    with transaction():
        prepare(doc, "repeal", user, version)
        if doc.written_date and repealed_date < doc.written_date:
            raise WorkflowError("废止日期不能早于成文日期")
        before = snapshot(doc)
        doc.validity, doc.repealed_date = "废止", repealed_date
        note = f"废止日期 {repealed_date.isoformat()}" + (f"；{reason.strip()}" if reason.strip() else "")
        _record(doc, user, "repeal", f"废止{_title(doc)}，{note}", before, event="repealed", note=note)
    finish(doc)
    return doc


def mark_expired(doc: Document, user: User, reason: str = "", *, version: int | None = None) -> Document:
    """Mark a published entry 失效; it stays public, labelled."""
    reason = reason.strip()
    with transaction():
        prepare(doc, "expire", user, version)
        before = snapshot(doc)
        doc.validity = "失效"
        _record(doc, user, "expire", f"标为失效{_title(doc)}" + (f"：{reason}" if reason else ""), before,
                event="expired", note=reason)
    finish(doc)
    return doc


def withdraw(doc: Document, user: User, reason: str, *, version: int | None = None) -> Document:
    """Take a published entry off the portal: no longer in the catalog, removed from the index."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("请填写撤回原因")
    with transaction():
        prepare(doc, "withdraw", user, version)
        before = snapshot(doc)
        doc.status, doc.withdrawn_at = "withdrawn", utcnow()
        _record(doc, user, "withdraw", f"撤回{_title(doc)}：{reason}", before, event="withdrawn", note=reason)
    finish(doc)
    return doc


def delete_attachment(doc: Document, attachment: Attachment, user: User, *, today: date | None = None,
                      version: int | None = None) -> Document:
    """Remove an attachment: from a draft by an 编辑; from a published entry by a 审核, which republishes it."""
    today = today or office_today()
    with transaction():
        prepare(doc, "delete_attachment", user, version)
        if attachment not in doc.attachments:
            raise WorkflowError("附件不属于此信息")
        before = snapshot(doc)
        doc.attachments.remove(attachment)
        discard_file(attachment.stored_name)
        note = f"删除附件“{attachment.filename}”"
        summary = f"{note}（{_title(doc)}，{STATUS_LABELS[doc.status]}）"
        if doc.status == "published":
            previous = doc.published_date
            doc.published_date, doc.published_at, doc.reviewer_id = today, utcnow(), user.id
            _record(doc, user, "attachment_delete", summary, before, event="changed", published=True,
                    note=f"{note}；原发布日期 {previous.isoformat() if previous else '无'}")
        else:
            _record(doc, user, "attachment_delete", summary, before, event="attachment_removed", note=note)
    finish(doc)
    return doc


def import_conflict(existing: Document) -> str:
    """Why an import line may not publish over a draft or a withdrawn entry with the same number."""
    state = STATUS_LABELS.get(existing.status, existing.status)
    return f"与{state}的信息“{existing.title}”相同；导入不会覆盖未发布的信息，请在工作人员页面处理"


def record_published(values: dict, files: Iterable[CheckedFile] = (), *, actor: User | str | None,
                     action: str = "import") -> tuple[Document, bool]:
    """Create or update the published entry the values describe, as given, in the caller's transaction.

    For publications decided outside the review steps: an import line (`action` "import", never over a
    draft or a withdrawn entry) or the annual report ("publish": 发布, then 变更并重新发布). The 索引号 is
    kept or assigned, a file already attached (same name and size) is not added again, and an entry
    created or changed gets its event and audit row; the caller ends with `finish`. Returns the entry and
    whether it is new.
    """
    doc = find_existing(values)
    created = doc is None
    if created:
        doc, before = Document(office_id=Office.current().id, version=0), None
    else:
        if action == "import" and not doc.is_public:
            raise WorkflowError(import_conflict(doc))
        lock(doc)
        before = snapshot(doc)
    previous = doc.published_date
    known = {(a.filename, a.size) for a in doc.attachments}
    with db.session.no_autoflush:
        doc.status = "published"
        for name, value in values.items():
            if name != "index_number" or value:
                setattr(doc, name, value)
        if values.get("validity") != "废止":
            doc.repealed_date = values.get("repealed_date")
        assign_index_number(doc)
        db.session.add(doc)
        names = attach(doc, [f for f in files if (f.filename, len(f.data)) not in known])
    if before == snapshot(doc):
        return doc, False  # the same entry given again: nothing changed, nothing to record
    day = doc.published_date.isoformat()
    if action == "import":
        event, done, summary = "imported", "import", f"{'导入' if created else '导入更新'}{_title(doc)}，发布日期 {day}"
    elif created:
        event, done, summary = "published", "publish", f"发布{_title(doc)}，发布日期 {day}"
    else:
        event, done, summary = "changed", "change", f"变更并重新发布{_title(doc)}，发布日期 {day}"
    moved = f"原发布日期 {previous.isoformat()}" if previous and previous != doc.published_date else ""
    _record(doc, actor, done, summary, before, event=event, note="；".join(filter(None, [moved, _added(names)])),
            published=True)
    return doc, created

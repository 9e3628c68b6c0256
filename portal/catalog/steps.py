"""What every write to the catalog is made of (portal.catalog.workflow puts them together):

    with transaction():                           # core.db: committed at the end, rolled back on error
        prepare(doc, "publish", user, version)    # row lock, a stale form refused, the rule checked
        before = snapshot(doc)
        ...                                       # the change, its event and its audit row
    finish(doc)                                   # after the commit: the filter choices follow

The search index follows every commit through its change log (portal.search), with no call here.
Attachment files follow the transaction by themselves (portal.catalog.attachments): a file written in
a step that rolls back is removed, a file discarded is removed only once the step commits.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..core import audit
from ..core.numbers import normalize_doc_number
from ..extensions import db
from ..models import Attachment, Document, Office
from ..models.staff import User
from .attachments import CheckedFile, extract_text, save_file
from .choices import invalidate
from .identity import duplicate_message, duplicate_of
from .rules import WorkflowError, check


# The fields staff edit; 索引号, 发布日期 and status are set by the workflow.
EDITABLE = ("title", "doc_number", "publisher", "written_date", "category", "doc_type", "validity",
            "repealed_date", "disclosure_method", "disclosure_scope", "timeliness", "keywords",
            "summary", "body")
SNAPSHOT = ("index_number", *EDITABLE, "published_date", "status")
STALE = "此信息在您打开页面之后已被他人修改或处理，请刷新页面，核对后再操作。"


def lock(doc: Document, version: int | None = None) -> None:
    """Lock the entry's row for this transaction (reloading it); refuse a form opened on an older version."""
    db.session.refresh(doc, with_for_update=True)
    if version is not None and version != doc.version:
        raise WorkflowError(STALE)


def prepare(doc: Document, action: str, user: User, version: int | None) -> None:
    """Lock the row, refuse a stale form, and check the rule for this step."""
    lock(doc, version)
    check(action, doc, user, Office.current().review_required)


def check_unique(doc: Document) -> None:
    """Refuse an entry whose 发文字号 + 发布机构 another entry already has."""
    other = duplicate_of(doc.doc_number, doc.publisher, doc.id)
    if other is not None:
        raise WorkflowError(duplicate_message(other))


def apply_fields(doc: Document, values: dict) -> None:
    """Copy the editable fields (发文字号 normalised); a 废止日期 is kept only for a repealed entry."""
    for name in EDITABLE:
        if name in values:
            setattr(doc, name, values[name])
    doc.doc_number = normalize_doc_number(doc.doc_number)
    if doc.validity != "废止":
        doc.repealed_date = None


def attach(doc: Document, files: Iterable[CheckedFile]) -> list[str]:
    """Store each file under a generated name and attach it; the names of the files attached."""
    names = []
    for checked in files:
        doc.attachments.append(Attachment(filename=checked.filename, stored_name=save_file(checked),
                                          mime_type=checked.mime_type, size=len(checked.data),
                                          text=extract_text(checked)))
        names.append(checked.filename)
    return names


def snapshot(doc: Document) -> dict:
    """The entry's fields and attachment names, for audit before/after and publication history."""
    data = audit.snapshot(doc, SNAPSHOT)
    data["attachments"] = [a.filename for a in doc.attachments]
    return data


def finish(*docs: Document) -> None:
    """After a step's commit: the filter choices are recounted. The search index follows by itself: the
    commit logged the change (portal.search.changes) and woke this process's follower, so the request
    never waits on the index writer."""
    invalidate()

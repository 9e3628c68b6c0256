"""条例第四十四条: turning information an application disclosed into a draft 主动公开 entry, and marking
applications as asking for the same information.

It lives in the staff shell because it joins the two domains (the application and its released files,
the catalog's write path) that may not import each other. The entry is only a draft made through
portal.catalog.workflow.save_draft: it reaches the public through the catalog's normal review. Its name
is the application's 文件名称 or a summary of the request with the applicant's personal data taken out;
the released files are copied through the catalog's own attachment checks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...catalog import workflow
from ...catalog.attachments import AttachmentError, CheckedFile, check_file
from ...core import audit
from ...core.db import transaction
from ...core.uploads import stored_path
from ...extensions import db
from ...info_requests.releases import discloses, files_of
from ...models import Document, InfoRequest, Office, RequestEntry, SameInformation, User
from ...offices import scoping
from .groups import group_of

OBJECT = "info_request"  # the audit rows file under the application, as its own steps do
TITLE_MAX = 60
MASK = "××"
# Numbers long enough to be a 身份证号, phone or account number, and e-mail addresses.
PERSONAL_PATTERNS = (re.compile(r"\d{3,4}-\d{7,8}|\d{6,}[\dXx]?"), re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"))

audit.label_actions({"request_to_entry": "申请转主动公开", "mark_same_information": "标记为相同信息",
                     "unmark_same_information": "取消相同信息标记"})


class Art44Error(ValueError):
    """A conversion or marking that cannot be done; the message is for staff, in Chinese."""


class AlreadyConverted(Art44Error):
    """The information was turned into an entry before: `document` is that entry."""

    def __init__(self, document: Document):
        """Name the existing entry in the message."""
        super().__init__(f"该信息已于此前转为主动公开信息“{document.title}”，不会重复创建，请打开该信息继续办理。")
        self.document = document


def entry_of(info_request_id: int) -> Document | None:
    """The catalog entry made from this application, or from another asking for the same information."""
    entry_id = group_of(info_request_id).entry_id
    return scoping.entry_or_none(entry_id)


def sources_of(document: Document) -> list[InfoRequest]:
    """The applications an entry was made from (staff only)."""
    return list(db.session.scalars(select(InfoRequest).join(RequestEntry, RequestEntry.info_request_id == InfoRequest.id)
                                   .where(RequestEntry.document_id == document.id, scoping.mine(InfoRequest)).order_by(InfoRequest.id)))


def refusal(info_request: InfoRequest) -> str | None:
    """Why this application's information cannot be turned into an entry, in Chinese; None when it can."""
    if info_request.replied_on is None or not discloses(info_request.outcome, info_request.ground):
        return "只有已作出予以公开或部分公开答复的申请，才能将公开的信息转为主动公开"
    return None


def neutral_title(info_request: InfoRequest) -> str:
    """The entry's name: the 文件名称 the applicant gave, else the request's first sentence with the
    applicant's name, numbers and contact data taken out (staff check it in the draft)."""
    if info_request.doc_title.strip():
        return " ".join(info_request.doc_title.split())[:300]
    text = info_request.description
    person = info_request.applicant
    for value in (person.name, person.id_number, person.uscc, person.legal_representative, person.contact_person,
                  person.phone, person.email, person.address):
        if value and len(value.strip()) >= 2:
            text = text.replace(value.strip(), MASK)
    for pattern in PERSONAL_PATTERNS:
        text = pattern.sub(MASK, text)
    first = " ".join(re.split(r"[。！？!?\n]", text.strip(), maxsplit=1)[0].split()).strip(" ，,；;：:")
    return (first[:TITLE_MAX] + "…" if len(first) > TITLE_MAX else first) or "依申请公开的政府信息"


def draft_values(info_request: InfoRequest) -> dict:
    """What the draft starts with: the name and the office as 发布机构; the rest staff fill in."""
    return {"title": neutral_title(info_request), "publisher": Office.current().name}


@dataclass(frozen=True)
class Copies:
    """The released files checked as catalog attachments, and those that cannot be (name, why)."""

    files: list[CheckedFile]
    skipped: list[tuple[str, str]]


def copy_files(info_request: InfoRequest) -> Copies:
    """Each released file read from storage and checked like an upload to the catalog (a ZIP or PPTX the
    catalog does not take is left out, with the reason, for staff to upload in another form)."""
    files, skipped = [], []
    for item in files_of(info_request):
        path = stored_path(item.stored_name)
        if not path.is_file():
            skipped.append((item.filename, "文件已不在存储中"))
            continue
        try:
            files.append(check_file(item.filename, path.read_bytes(), current_app.config.get("MAX_CONTENT_LENGTH")))
        except AttachmentError as exc:
            skipped.append((item.filename, str(exc)))
    return Copies(files, skipped)


def convert(info_request: InfoRequest, user: User) -> tuple[Document, Copies]:
    """Make the draft entry from the application's disclosed reply, linked to the application, audited on
    both; AlreadyConverted when this or the same information became an entry before."""
    existing = entry_of(info_request.id)
    if existing is not None:
        raise AlreadyConverted(existing)
    reason = refusal(info_request)
    if reason:
        raise Art44Error(reason)
    copies = copy_files(info_request)  # read and checked before any row is locked
    values = draft_values(info_request)
    group = sorted(group_of(info_request.id).ids)

    def link(doc: Document) -> None:
        """In the draft's transaction: the link row and the application's audit row."""
        db.session.add(RequestEntry(info_request_id=info_request.id, document_id=doc.id, actor=user.name[:50]))
        copied = f"，附件 {len(copies.files)} 个" if copies.files else ""
        audit.record("request_to_entry", OBJECT, info_request.id,
                     f"申请 {info_request.tracking_number}：公开的信息转为主动公开，已起草“{doc.title[:60]}”{copied}",
                     after={"document_id": doc.id}, actor=user)

    try:
        # Two clicks, or two staff converting applications of one group: the second waits, then sees the first.
        db.session.scalars(select(InfoRequest.id).where(InfoRequest.id.in_(group)).order_by(InfoRequest.id)
                           .with_for_update()).all()
        existing = entry_of(info_request.id)
        if existing is not None:
            raise AlreadyConverted(existing)
        doc = workflow.save_draft(values, copies.files, user, linked=link)
    except IntegrityError:
        # SQLite takes no row locks: a second click that ran alongside the first meets its link row.
        db.session.rollback()
        existing = entry_of(info_request.id)
        if existing is None:
            raise
        raise AlreadyConverted(existing) from None
    except BaseException:
        db.session.rollback()
        raise
    return doc, copies


def mark_same(info_request: InfoRequest, other: InfoRequest, user: User) -> None:
    """Record that two applications ask for the same information: one joins the other's group (two groups
    already marked are merged into one)."""
    if other.id == info_request.id:
        raise Art44Error("不能把申请标记为与它自己相同")
    if other.office_id != info_request.office_id:  # another office's applications are never named here
        raise Art44Error(f"没有编号为“{other.tracking_number}”的申请，请核对")
    with transaction():
        rows = {row.info_request_id: row for row in db.session.scalars(
            select(SameInformation).where(SameInformation.info_request_id.in_([info_request.id, other.id]))
            .with_for_update())}
        mine, theirs = rows.get(info_request.id), rows.get(other.id)
        if mine and theirs and mine.group_id == theirs.group_id:
            raise Art44Error(f"申请 {info_request.tracking_number} 与 {other.tracking_number} 已标记为相同信息")
        target = theirs.group_id if theirs else (mine.group_id if mine else other.id)
        if theirs is None:
            db.session.add(SameInformation(info_request_id=other.id, group_id=target, actor=user.name[:50]))
        if mine is None:
            db.session.add(SameInformation(info_request_id=info_request.id, group_id=target, actor=user.name[:50]))
        elif mine.group_id != target:
            for row in db.session.scalars(select(SameInformation).filter_by(group_id=mine.group_id)):
                row.group_id = target
        audit.record("mark_same_information", OBJECT, info_request.id,
                     f"申请 {info_request.tracking_number}：标记为与申请 {other.tracking_number} 所申请的信息相同",
                     after={"same_as": other.tracking_number}, actor=user)


def unmark_same(info_request: InfoRequest, user: User) -> None:
    """Take the application out of its marked group (the others stay grouped)."""
    with transaction():
        row = db.session.scalar(select(SameInformation).filter_by(info_request_id=info_request.id).with_for_update())
        if row is None:
            raise Art44Error("本申请没有被标记为与其他申请相同")
        db.session.delete(row)
        audit.record("unmark_same_information", OBJECT, info_request.id,
                     f"申请 {info_request.tracking_number}：取消“相同信息”标记", actor=user)

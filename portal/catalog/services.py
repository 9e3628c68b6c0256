"""Publishing entries: one function per state change; the search index follows after commit."""
import logging
from collections.abc import Iterable

from sqlalchemy import select

from .. import search
from ..core.db import next_serial
from ..core.numbers import format_index_number, normalize_doc_number
from ..extensions import db
from ..models import Attachment, Document, Office
from ..models.catalog import STATUS_LABELS
from .attachments import CheckedFile, extract_text, save_file
from .choices import invalidate

log = logging.getLogger(__name__)


def assign_index_number(doc: Document) -> None:
    """Give an entry its 索引号 from the office's pattern, keyed by the year it was made."""
    if doc.index_number:
        return
    office = Office.current()
    day = doc.written_date or doc.published_date
    year = day.year
    doc.index_number = format_index_number(
        office.index_pattern, org_code=office.org_code, year=year, seq=next_serial("index", year)
    )


def find_existing(values: dict) -> Document | None:
    """The entry an import line describes: by 索引号, else by 发文字号 + 发布机构, else by title + date."""
    if values.get("index_number"):
        return db.session.scalar(select(Document).filter_by(index_number=values["index_number"]))
    if values.get("doc_number"):
        return db.session.scalar(
            select(Document).filter_by(doc_number=values["doc_number"], publisher=values["publisher"])
        )
    return db.session.scalar(
        select(Document).filter_by(
            title=values["title"], publisher=values["publisher"], published_date=values["published_date"]
        )
    )


def duplicate_of(doc_number: str | None, publisher: str | None, exclude_id: int | None = None) -> Document | None:
    """Another entry, not withdrawn, with this 发文字号 (normalised) from this 发布机构: the importer takes
    number + publisher for one entry, so a second would be overwritten by the next import."""
    number = normalize_doc_number(doc_number)
    if not number:
        return None
    stmt = select(Document).where(Document.doc_number == number, Document.publisher == (publisher or "").strip(),
                                  Document.status != "withdrawn")
    if exclude_id is not None:
        stmt = stmt.where(Document.id != exclude_id)
    with db.session.no_autoflush:  # a new draft must not find itself
        return db.session.scalars(stmt.order_by(Document.id).limit(1)).first()


def duplicate_message(other: Document) -> str:
    """Why the 发文字号 is refused, naming the entry that has it."""
    index = f"索引号 {other.index_number}" if other.index_number else f"{STATUS_LABELS[other.status]}，尚无索引号"
    return f"同一发布机构的发文字号不能重复：已有信息“{other.title}”（{index}）使用此发文字号"


def stage_document(values: dict, files: Iterable[CheckedFile] = (), *, status: str = "published") -> Document:
    """Create or update an entry in the current transaction (no commit): used by import and publish."""
    doc = find_existing(values) or Document()
    doc.status = status
    for name, value in values.items():
        if name != "index_number" or value:
            setattr(doc, name, value)
    if not values.get("validity") == "废止":
        doc.repealed_date = values.get("repealed_date")
    with db.session.no_autoflush:
        assign_index_number(doc)
    db.session.add(doc)
    known = {(a.filename, a.size) for a in doc.attachments}
    for checked in files:
        if (checked.filename, len(checked.data)) in known:
            continue  # the same file imported again
        doc.attachments.append(
            Attachment(
                filename=checked.filename,
                stored_name=save_file(checked),
                mime_type=checked.mime_type,
                size=len(checked.data),
                text=extract_text(checked),
            )
        )
    return doc


def publish_document(values: dict, files: Iterable[CheckedFile] = ()) -> Document:
    """Publish (or republish) one entry: one transaction, then the index follows."""
    doc = stage_document(values, files, status="published")
    db.session.commit()
    refresh_index([doc])
    return doc


def refresh_index(docs: list[Document]) -> None:
    """After a committed catalog change: the filter choices are recounted and the index follows.

    An index failure is logged; `flask reindex` (or the automatic repair) brings it back.
    """
    invalidate()
    try:
        search.index_documents(docs)
    except Exception:
        log.exception("search index update failed; run `flask --app wsgi reindex`")

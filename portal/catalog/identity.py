"""Which entry is which: the 索引号 given at first publication, one entry per 发文字号 and 发布机构, and
the entry an import line (or the annual report) describes."""
from sqlalchemy import select

from ..core.db import next_serial
from ..core.numbers import format_index_number, normalize_doc_number
from ..extensions import db
from ..models import Document, Office
from ..models.catalog import STATUS_LABELS


def assign_index_number(doc: Document) -> None:
    """Give an entry its 索引号 from the office's pattern, keyed by the year it was made."""
    if doc.index_number:
        return
    office = db.session.get(Office, doc.office_id)
    day = doc.written_date or doc.published_date
    year = day.year
    doc.index_number = format_index_number(
        office.index_pattern, org_code=office.org_code, year=year, seq=next_serial(office.counter("index"), year)
    )


def find_existing(values: dict) -> Document | None:
    """The current office's entry an import line describes: by 索引号, else by 发文字号 + 发布机构, else by title
    + date."""
    mine = select(Document).filter_by(office_id=Office.current().id)
    if values.get("index_number"):
        return db.session.scalar(mine.filter_by(index_number=values["index_number"]))
    if values.get("doc_number"):
        return db.session.scalar(mine.filter_by(doc_number=values["doc_number"], publisher=values["publisher"]))
    return db.session.scalar(
        mine.filter_by(title=values["title"], publisher=values["publisher"], published_date=values["published_date"])
    )


def held_elsewhere(index_number: str | None) -> Document | None:
    """Another office's entry with this 索引号 (索引号 are unique across the portal), or None."""
    if not index_number:
        return None
    return db.session.scalar(select(Document).where(Document.index_number == index_number,
                                                    Document.office_id != Office.current().id))


def duplicate_of(doc_number: str | None, publisher: str | None, exclude_id: int | None = None) -> Document | None:
    """Another entry, not withdrawn, with this 发文字号 (normalised) from this 发布机构: the importer takes
    number + publisher for one entry, so a second would be overwritten by the next import."""
    number = normalize_doc_number(doc_number)
    if not number:
        return None
    stmt = select(Document).where(Document.office_id == Office.current().id, Document.doc_number == number, Document.publisher == (publisher or "").strip(),
                                  Document.status != "withdrawn")
    if exclude_id is not None:
        stmt = stmt.where(Document.id != exclude_id)
    with db.session.no_autoflush:  # a new draft must not find itself
        return db.session.scalars(stmt.order_by(Document.id).limit(1)).first()


def duplicate_message(other: Document) -> str:
    """Why the 发文字号 is refused, naming the entry that has it."""
    index = f"索引号 {other.index_number}" if other.index_number else f"{STATUS_LABELS[other.status]}，尚无索引号"
    return f"同一发布机构的发文字号不能重复：已有信息“{other.title}”（{index}）使用此发文字号"

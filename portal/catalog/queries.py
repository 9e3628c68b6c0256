"""Reads of the published catalog that pages of several packages share."""
from sqlalchemy import select

from ..extensions import db
from ..models import Document, Office


def newest_published(limit: int, office: Office | None = None) -> list[Document]:
    """The most recently published entries (of one office, or of every office), newest first (the home page,
    the Atom feed)."""
    stmt = select(Document).where(Document.status == "published")
    if office is not None:
        stmt = stmt.where(Document.office_id == office.id)
    return list(db.session.scalars(
        stmt.order_by(Document.published_date.desc().nulls_last(), Document.id.desc()).limit(limit)))

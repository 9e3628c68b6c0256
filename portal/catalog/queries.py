"""Reads of the published catalog that pages of several packages share."""
from sqlalchemy import select

from ..extensions import db
from ..models import Document


def newest_published(limit: int) -> list[Document]:
    """The most recently published entries, newest first (the home page, the Atom feed)."""
    return list(db.session.scalars(
        select(Document).where(Document.status == "published")
        .order_by(Document.published_date.desc().nulls_last(), Document.id.desc()).limit(limit)
    ))

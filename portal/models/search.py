"""The search change log: one row per change to what is searchable, written in the changing transaction."""
from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import utcnow
from ..extensions import db
from .types import AwareDateTime


class SearchChange(db.Model):
    """Entry `document_id` changed (or was deleted): every index re-reads it from the database.

    No foreign key: a deleted entry's row must stay so the index drops it. Each index folder keeps its
    own cursor into this log (portal.search.follow); rows older than a week are pruned once applied.
    """

    __tablename__ = "search_change"

    # The log position; BIGINT on PostgreSQL (a sequence), SQLite's rowid there.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    __table_args__ = (Index("ix_search_change_at", "at"),)

"""条例第四十四条 (申请转主动公开): which application became which catalog entry, and which applications staff
marked as asking for the same information. Staff-only links: the public entry never shows them."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..extensions import db
from .applications import InfoRequest
from .catalog import Document
from .types import AwareDateTime


class RequestEntry(db.Model):
    """An application whose disclosed information was turned into a draft catalog entry (one per application)."""

    __tablename__ = "request_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    info_request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    info_request: Mapped[InfoRequest] = relationship()
    document: Mapped[Document] = relationship()


class SameInformation(db.Model):
    """An application staff marked as asking for the same information as others: all rows with one
    `group_id` (the id of the application that started the group, kept as a plain number) form a group."""

    __tablename__ = "same_information"

    id: Mapped[int] = mapped_column(primary_key=True)
    info_request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), unique=True)
    group_id: Mapped[int] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

"""主动公开 entries, their attachments, and the numbering counters."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..extensions import db
from .types import AwareDateTime

VALIDITIES = ("有效", "失效", "废止")
TIMELINESS = ("常年公开", "及时公开", "限时公开")
STATUS_LABELS = {"draft": "草稿", "review": "待审核", "published": "已发布", "withdrawn": "已撤回"}


class Document(db.Model):
    """One 主动公开 entry of the catalog (条例 Art. 12: 索引, 名称, 内容概述, 生成日期)."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The office that publishes it (its catalog, its 索引号 sequence, its staff).
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    # Given at first publication (drafts have none), so the public sequence has no gaps.
    index_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    doc_number: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(100))
    written_date: Mapped[date | None]
    published_date: Mapped[date | None]
    category: Mapped[str] = mapped_column(String(100), default="")
    doc_type: Mapped[str] = mapped_column(String(20), default="")
    validity: Mapped[str] = mapped_column(String(10), default="有效")
    repealed_date: Mapped[date | None]
    disclosure_method: Mapped[str] = mapped_column(String(20), default="主动公开")
    disclosure_scope: Mapped[str] = mapped_column(String(50), default="面向全社会")
    timeliness: Mapped[str] = mapped_column(String(10), default="常年公开")
    keywords: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # draft → review → published → withdrawn; only published entries are public.
    status: Mapped[str] = mapped_column(String(20), default="published", index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow, onupdate=utcnow)
    # The publishing workflow (portal.catalog.workflow); imported entries have no author or reviewer.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    published_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # Raised by every workflow step: a form opened before someone else's step is refused, not merged.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    events: Mapped[list["DocumentEvent"]] = relationship(
        back_populates="document", cascade="all, delete-orphan",
        order_by="DocumentEvent.id",
    )
    author = relationship("User", foreign_keys=[author_id])
    office = relationship("Office")
    reviewer = relationship("User", foreign_keys=[reviewer_id])

    # The public catalog lists one status, filtered by one field, newest first: each filter gets an
    # index that serves both the filter and the order (the row id breaks ties), so no page sorts.
    __table_args__ = (
        Index("ix_document_public_order", "status", "published_date"),
        Index("ix_document_written_order", "status", "written_date"),
        Index("ix_document_by_category", "status", "category", "published_date"),
        Index("ix_document_by_type", "status", "doc_type", "published_date"),
        Index("ix_document_by_publisher", "status", "publisher", "published_date"),
        Index("ix_document_by_validity", "status", "validity", "published_date"),
    )

    @property
    def is_public(self) -> bool:
        """Whether residents may see this entry."""
        return self.status == "published"

    @property
    def year(self) -> int | None:
        """The year the entry was published, for filtering."""
        return self.published_date.year if self.published_date else None

    @property
    def category_top(self) -> str:
        """The top-level class of the 主题分类 (before the backslash)."""
        return self.category.split("\\", 1)[0] if self.category else ""


class Attachment(db.Model):
    """A file attached to an entry; stored outside static/ under a generated name."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="attachments")


class DocumentEvent(db.Model):
    """One workflow step of an entry: who, when, what; publications keep their 发布日期 and a snapshot."""

    __tablename__ = "document_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    # drafted, edited, submitted, returned, published, changed, repealed, expired, withdrawn,
    # attachment_removed — see portal.catalog.workflow.EVENT_LABELS
    action: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))  # the entry's status after the step
    published_date: Mapped[date | None]  # the 发布日期 a publication or change gave the entry
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[str | None] = mapped_column(Text)  # JSON: the entry as published by this step

    document: Mapped[Document] = relationship(back_populates="events")


class Counter(db.Model):
    """A gap-free sequence per (name, year): 索引号 serials, tracking numbers, letter numbers."""

    __tablename__ = "counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    year: Mapped[int]
    value: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("name", "year"),)

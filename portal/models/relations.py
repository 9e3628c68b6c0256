"""Links between 主动公开 entries: a 解读 and its original, a repealing entry and the one it repealed, 相关."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..extensions import db
from .types import AwareDateTime

# Stored kinds, each read from `source` to `target`: 解读 — source is the 解读 of target; 废止 — source
# repealed target; 相关 — symmetric (stored once, either way round). portal.catalog.relations names both ends.
RELATION_KINDS = ("解读", "废止", "相关")


class DocumentRelation(db.Model):
    """One link between two entries; a pair of entries has at most one, whichever way round."""

    __tablename__ = "document_relation"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    source = relationship("Document", foreign_keys=[source_id])
    target = relationship("Document", foreign_keys=[target_id])

    __table_args__ = (
        UniqueConstraint("source_id", "target_id", name="uq_document_relation_pair"),
        CheckConstraint("source_id <> target_id", name="ck_document_relation_not_self"),
    )

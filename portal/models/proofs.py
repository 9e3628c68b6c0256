"""Proof of identity sent with an online application: a copy of the 证件 and, for an agent, the 授权委托书.

Personal data: stored under a generated name outside the web root, shown only to staff who reveal the
applicant (each view logged), removed with the applicant's data at the end of its retention."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..extensions import db
from .applications import InfoRequest
from .types import AwareDateTime

ID_COPY = "证件"
AGENT_LETTER = "授权委托书"
PROOF_KINDS = (ID_COPY, AGENT_LETTER)


class ProofFile(db.Model):
    """One uploaded proof file of an application."""

    __tablename__ = "proof_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the staff page names the file by: random, never the row id.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    info_request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    info_request: Mapped[InfoRequest] = relationship()

"""A corrected application the applicant sent on the portal (补正, 条例 Art. 30): its text and files."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..extensions import db
from .applications import InfoRequest
from .types import AwareDateTime


class OnlineCorrection(db.Model):
    """The corrected request as sent: what the applicant wrote, the day it was sent and whether that was late."""

    __tablename__ = "online_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    info_request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    sent_on: Mapped[date]
    late: Mapped[bool] = mapped_column(default=False)
    sent_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    info_request: Mapped[InfoRequest] = relationship()
    files: Mapped[list["CorrectionFile"]] = relationship(
        back_populates="correction", cascade="all, delete-orphan", order_by="CorrectionFile.id")


class CorrectionFile(db.Model):
    """A file sent with an online correction, stored under a generated name; staff name it by a random id."""

    __tablename__ = "correction_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    correction_id: Mapped[int] = mapped_column(ForeignKey("online_correction.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]

    correction: Mapped[OnlineCorrection] = relationship(back_populates="files")

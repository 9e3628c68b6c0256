"""The information an office released in answer to an application: its files, the mailed download links,
each download, and how paper or a disc was handed over."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..extensions import db
from .applications import InfoRequest, Letter
from .types import AwareDateTime

VIA_TRACKING = "查询页面"  # the applicant downloaded after giving number + query code
VIA_MAIL_LINK = "邮件链接"  # through the link the reply mail carried
HANDOVER_METHODS = ("邮寄", "快递", "自行领取", "当场阅读抄录")
SHIPPED = frozenset({"邮寄", "快递"})  # handed to the post: a tracking number is recorded


class ReleasedFile(db.Model):
    """A file released with a 答复书 (予以公开, or the disclosable part of 部分公开), stored under a generated name."""

    __tablename__ = "released_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the applicant's pages name the file by: random, never the row id, so no URL can be guessed.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    info_request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), index=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id", ondelete="SET NULL"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    info_request: Mapped[InfoRequest] = relationship()
    letter: Mapped[Letter | None] = relationship()
    downloads: Mapped[list["ReleaseDownload"]] = relationship(
        back_populates="released_file", cascade="all, delete-orphan", order_by="ReleaseDownload.id")


class ReleaseLink(db.Model):
    """A download link mailed to the applicant: only a hash of its token is kept, and it expires."""

    __tablename__ = "release_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    info_request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the token, hex
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    info_request: Mapped[InfoRequest] = relationship()


class ReleaseDownload(db.Model):
    """One download of a released file: how the applicant reached it, and when."""

    __tablename__ = "release_download"

    id: Mapped[int] = mapped_column(primary_key=True)
    released_file_id: Mapped[int] = mapped_column(ForeignKey("released_file.id", ondelete="CASCADE"), index=True)
    via: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    released_file: Mapped[ReleasedFile] = relationship(back_populates="downloads")


class Handover(db.Model):
    """How and when information on paper (or a disc) reached the applicant: posted with its tracking
    number, collected, or read at the office."""

    __tablename__ = "release_handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    info_request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(10))
    on: Mapped[date]
    tracking_number: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(50), default="")
    recorded_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)

    info_request: Mapped[InfoRequest] = relationship()

"""The mail outbox: every message is a row written in the transaction that caused it, sent after commit."""
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import utcnow
from ..extensions import db
from .types import AwareDateTime


class OutboxMessage(db.Model):
    """One e-mail to send; kept after sending (or giving up) so staff can see what went out."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    # Fixed when queued so a resend after a crash carries the same id and mail clients can merge it.
    message_id: Mapped[str] = mapped_column(String(250))
    # Free reference for timelines, e.g. "info_request:12".
    related: Mapped[str | None] = mapped_column(String(100), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # Set when retrying stopped (too many attempts, or the address was refused); never deleted.
    failed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    # A sender's claim: rows with a live claim are skipped by other senders (see portal.core.mail).
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(AwareDateTime)

    __table_args__ = (Index("ix_outbox_message_due", "sent_at", "failed_at", "next_attempt_at"),)

    @property
    def status(self) -> str:
        """The state shown to staff: 已发送, 发送失败 or 待发送."""
        if self.sent_at is not None:
            return "已发送"
        if self.failed_at is not None:
            return "发送失败"
        return "待发送"

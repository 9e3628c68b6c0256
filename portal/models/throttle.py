"""Failed guesses of a secret (a staff password, an application's query code), per guessed subject and address.

The rules that read and write these rows are in portal/accounts/throttle.py.
"""
from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import AwareDateTime

EVERY_ADDRESS = "*"  # the `address` of the row that counts a subject's failures from all addresses


class GuessThrottle(db.Model):
    """Failures against one subject from one address (or from all: address "*"), and when the next try may come."""

    __tablename__ = "guess_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))     # "sign_in" or "tracking"
    subject: Mapped[str] = mapped_column(String(64))   # keyed hash of the username or tracking number, never as typed
    address: Mapped[str] = mapped_column(String(45))   # the visitor's IP address, or EVERY_ADDRESS
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    next_allowed_at: Mapped[datetime | None] = mapped_column(AwareDateTime)
    succeeded_at: Mapped[datetime | None] = mapped_column(AwareDateTime)  # the right secret came from here
    notified_at: Mapped[datetime | None] = mapped_column(AwareDateTime)   # on EVERY_ADDRESS rows: holder last told

    __table_args__ = (UniqueConstraint("scope", "subject", "address"),)

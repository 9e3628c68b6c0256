"""All models, importable from one place (Alembic and the app see the same metadata)."""
from .calendar import CalendarDay, CalendarYear
from .catalog import Attachment, Counter, Document, TIMELINESS, VALIDITIES
from .mail import OutboxMessage
from .office import DEFAULT_OFFICE, Office
from .types import OFFICE_TZ, AwareDateTime, utcnow

__all__ = [
    "Attachment", "AwareDateTime", "Counter", "DEFAULT_OFFICE", "Document", "OFFICE_TZ",
    "Office", "TIMELINESS", "VALIDITIES", "utcnow",
    "CalendarDay", "CalendarYear",
    "OutboxMessage",
]

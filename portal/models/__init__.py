"""All models, importable from one place (Alembic and the app see the same metadata)."""
from .applications import (
    APPLICANT_TYPES, CITIZEN, ID_TYPES, OBTAIN_METHODS, ORG_KINDS, ORGANISATION, PROVIDE_FORMS, Applicant,
    InfoRequest, Letter, RequestEvent,
)
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
    "APPLICANT_TYPES", "Applicant", "CITIZEN", "ID_TYPES", "InfoRequest", "Letter", "OBTAIN_METHODS",
    "ORG_KINDS", "ORGANISATION", "PROVIDE_FORMS", "RequestEvent",
]

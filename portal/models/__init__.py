"""All models, importable from one place (Alembic and the app see the same metadata)."""
from .applications import (
    APPLICANT_TYPES,
    CITIZEN,
    ID_TYPES,
    OBTAIN_METHODS,
    ORG_KINDS,
    ORGANISATION,
    PROVIDE_FORMS,
    Applicant,
    InfoRequest,
    Letter,
    RequestEvent,
)
from .art44 import RequestEntry, SameInformation
from .calendar import CalendarDay, CalendarYear
from .corrections import CorrectionFile, OnlineCorrection
from .catalog import TIMELINESS, VALIDITIES, Attachment, Counter, Document
from .mail import OutboxMessage
from .office import DEFAULT_OFFICE, PROOF_CHOICES, PROOF_NOT_ASKED, PROOF_OPTIONAL, PROOF_REQUIRED, Office
from .proofs import AGENT_LETTER, ID_COPY, PROOF_KINDS, ProofFile
from .releases import HANDOVER_METHODS, SHIPPED, VIA_MAIL_LINK, VIA_TRACKING, Handover, ReleaseDownload, ReleasedFile, ReleaseLink
from .relations import RELATION_KINDS, DocumentRelation
from .reports import CASE_KINDS, CASE_RESULTS, AnnualReport, ReviewCase
from .search import SearchChange
from .standard_catalog import STANDARD_COLUMNS, StandardCatalogItem
from .staff import (ADMIN, COORDINATOR, DISTRICT_ADMIN, DISTRICT_ROLE_LABELS, DISTRICT_ROLES, EDITOR, HANDLER, HEAD,
                    REVIEWER, ROLE_LABELS, ROLES, AuditEntry, Membership, User)
from .throttle import EVERY_ADDRESS, GuessThrottle
from .types import AwareDateTime

__all__ = [
    "Attachment", "AwareDateTime", "Counter", "DEFAULT_OFFICE", "Document",
    "Office", "TIMELINESS", "VALIDITIES",
    "CalendarDay", "CalendarYear",
    "OutboxMessage",
    "AnnualReport", "CASE_KINDS", "CASE_RESULTS", "ReviewCase",
    "SearchChange",
    "ADMIN", "AuditEntry", "COORDINATOR", "DISTRICT_ADMIN", "DISTRICT_ROLE_LABELS", "DISTRICT_ROLES", "Membership",
    "EDITOR", "HANDLER", "HEAD", "REVIEWER", "ROLE_LABELS", "ROLES", "User",
    "EVERY_ADDRESS", "GuessThrottle",
    "APPLICANT_TYPES", "Applicant", "CITIZEN", "ID_TYPES", "InfoRequest", "Letter", "OBTAIN_METHODS",
    "ORG_KINDS", "ORGANISATION", "PROVIDE_FORMS", "RequestEvent",
    "HANDOVER_METHODS", "Handover", "ReleaseDownload", "ReleasedFile", "ReleaseLink", "SHIPPED", "VIA_MAIL_LINK",
    "VIA_TRACKING",
    "RequestEntry", "SameInformation",
    "PROOF_CHOICES", "PROOF_NOT_ASKED", "PROOF_OPTIONAL", "PROOF_REQUIRED",
    "AGENT_LETTER", "ID_COPY", "PROOF_KINDS", "ProofFile",
    "CorrectionFile", "OnlineCorrection",
    "DocumentRelation", "RELATION_KINDS", "STANDARD_COLUMNS", "StandardCatalogItem",
]

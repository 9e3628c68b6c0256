"""Staff pages act only on the rows of the request's office (`Office.current()`): personal data never crosses
offices. Every staff view finds its object through one of these lookups, each a 404 for another office's row
(the page does not tell that the row exists elsewhere), and every list or count filters with `mine(Model)`.

Files, letters and events are found through their application or entry, so scoping the parent scopes them.
"""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import AnnualReport, Document, InfoRequest, Membership, ReviewCase, StandardCatalogItem, User
from ..models.office import Office, OtherOffice


def current_office_id() -> int:
    """The id of the office the request is about."""
    return Office.current().id


def mine(model):
    """SQL: the model's row belongs to the request's office (for lists and counts)."""
    return model.office_id == current_office_id()


def request_or_404(number: str) -> InfoRequest:
    """The current office's application with this tracking number, or the 404 page."""
    return db.one_or_404(select(InfoRequest).where(InfoRequest.tracking_number == number, mine(InfoRequest)))


def request_by_number(number: str) -> InfoRequest | None:
    """The current office's application with this tracking number, or None (for forms naming another one)."""
    return db.session.scalar(select(InfoRequest).where(InfoRequest.tracking_number == (number or "").strip().upper(),
                                                       mine(InfoRequest)))


def entry_or_404(doc_id: int) -> Document:
    """The current office's 主动公开 entry with this id, or the 404 page."""
    return db.one_or_404(select(Document).where(Document.id == doc_id, mine(Document)))


def entry_or_none(doc_id: int | None) -> Document | None:
    """The current office's entry with this id, or None."""
    if not doc_id:
        return None
    return db.session.scalar(select(Document).where(Document.id == doc_id, mine(Document)))


def report_or_404(year: int) -> AnnualReport:
    """The current office's annual report of this year, or the 404 page."""
    return db.one_or_404(select(AnnualReport).where(AnnualReport.year == year, mine(AnnualReport)))


def case_or_404(case_id: int, year: int) -> ReviewCase:
    """The current office's 复议/诉讼 case with this id, counted in this year's report, or the 404 page."""
    return db.one_or_404(select(ReviewCase).where(ReviewCase.id == case_id, ReviewCase.year == year,
                                                  mine(ReviewCase)))


def catalog_item_or_404(item_id: int) -> StandardCatalogItem:
    """The current office's 标准目录 row with this id, or the 404 page."""
    return db.one_or_404(select(StandardCatalogItem).where(StandardCatalogItem.id == item_id,
                                                           mine(StandardCatalogItem)))


def other_office_or_404(other_id: int) -> OtherOffice:
    """One of the offices the current office refers applicants to (its 非本机关负责公开 list), or the 404 page."""
    return db.one_or_404(select(OtherOffice).where(OtherOffice.id == other_id, mine(OtherOffice)))


def members_condition():
    """SQL: the account is a member of the current office."""
    return User.id.in_(select(Membership.user_id).where(Membership.office_id == current_office_id()))


def account_or_404(user_id: int, *, every_office: bool = False) -> User:
    """An account the signed-in 管理员 may manage: a member of the current office (`every_office`: any account,
    for the 区级管理员), or the 404 page."""
    conditions = [User.id == user_id] + ([] if every_office else [members_condition()])
    return db.one_or_404(select(User).where(*conditions))

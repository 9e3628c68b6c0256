"""Which applications ask for the same information (条例第四十四条: 多个申请人就相同政府信息提出申请).

Applications fall into one group when staff marked them as the same information (portal.models.art44
SameInformation), or when they name the same 文号 or the same 文件名称 (the form's two fields for a known
document). A group is a candidate for 主动公开 when two or more different applicants are in it and none of
its applications has been turned into a catalog entry yet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from ...core.numbers import normalize_doc_number
from ...extensions import db
from ...models import Applicant, InfoRequest, RequestEntry, SameInformation
from ...offices import scoping

TITLE_MIN = 4  # a 文件名称 shorter than this ("通知", "文件") says too little to match on
REASONS = {"marked": "工作人员标记为相同信息", "number": "申请的文号相同", "title": "申请的文件名称相同"}


@dataclass
class Group:
    """Applications asking for the same information, why they were grouped, and the entry made from them."""

    ids: set[int]
    reasons: set[str] = field(default_factory=set)
    applicants: set[str] = field(default_factory=set)
    entry_id: int | None = None  # the catalog entry one of them became (portal.admin.art44.services.convert)


def _title_key(title: str) -> str:
    """A 文件名称 compared without spaces or 《》; "" when too short to match on."""
    key = re.sub(r"[\s《》〈〉]", "", title or "")
    return key if len(key) >= TITLE_MIN else ""


def _applicant_key(uscc: str, id_number: str, name: str) -> str:
    """Who applied, for telling several applicants from one applicant asking twice."""
    return (uscc or "").strip().upper() or (id_number or "").strip().upper() or (name or "").strip()


def _keys(row, marked: dict[int, int]) -> list[tuple[str, str]]:
    """What an application can match another on: its marked group, its 文号, its 文件名称."""
    keys = [("marked", str(marked.get(row.id, ""))), ("number", normalize_doc_number(row.doc_number)),
            ("title", _title_key(row.doc_title))]
    return [key for key in keys if key[1]]


def all_groups() -> list[Group]:
    """Every group of two or more applications (union of marked groups, same 文号, same 文件名称)."""
    marked = dict(db.session.execute(select(SameInformation.info_request_id, SameInformation.group_id)).all())
    rows = db.session.execute(
        select(InfoRequest.id, InfoRequest.doc_number, InfoRequest.doc_title, Applicant.uscc, Applicant.id_number,
               Applicant.name)
        .join(Applicant, Applicant.info_request_id == InfoRequest.id)
        .where(scoping.mine(InfoRequest),
               or_(InfoRequest.doc_number != "", InfoRequest.doc_title != "", InfoRequest.id.in_(list(marked))))).all()
    parent = {row.id: row.id for row in rows}

    def root(x: int) -> int:
        """The representative of x's group (path halving)."""
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    firsts: dict[tuple[str, str], int] = {}
    for row in rows:
        for key in _keys(row, marked):
            first = firsts.setdefault(key, row.id)
            if first != row.id:
                parent[root(row.id)] = root(first)
    by_root: dict[int, Group] = {}
    for row in rows:
        group = by_root.setdefault(root(row.id), Group(set()))
        group.ids.add(row.id)
        group.applicants.add(_applicant_key(row.uscc, row.id_number, row.name))
    groups = [g for g in by_root.values() if len(g.ids) >= 2]
    _label(groups, rows, marked)
    return groups


def _label(groups: list[Group], rows, marked: dict[int, int]) -> None:
    """Say why each group was formed and which entry (if any) it became."""
    by_id = {row.id: row for row in rows}
    linked = dict(db.session.execute(select(RequestEntry.info_request_id, RequestEntry.document_id)).all())
    for group in groups:
        counts: dict[tuple[str, str], int] = {}
        for i in group.ids:
            for key in _keys(by_id[i], marked):
                counts[key] = counts.get(key, 0) + 1
        group.reasons = {kind for (kind, _), n in counts.items() if n >= 2}
        group.entry_id = next((linked[i] for i in sorted(group.ids) if i in linked), None)


def group_of(info_request_id: int) -> Group:
    """The group this application belongs to (itself alone when it matches no other)."""
    for group in all_groups():
        if info_request_id in group.ids:
            return group
    entry = db.session.scalar(select(RequestEntry.document_id).filter_by(info_request_id=info_request_id))
    return Group({info_request_id}, entry_id=entry)


def candidates() -> list[Group]:
    """Groups of two or more applicants not yet turned into a catalog entry, the largest first."""
    shown = [g for g in all_groups() if len(g.applicants) >= 2 and g.entry_id is None]
    return sorted(shown, key=lambda g: (-len(g.ids), min(g.ids)))

"""Links between entries: a 解读 and its original, a repealing entry and the one it repealed, 相关 entries.

A link is stored once (portal.models.relations) and read from either end: each end has a role, named
from its own side, so one row shows 「本文件的解读：…」 on the original and 「解读的原文：…」 on the 解读.
Residents see a link only while the other entry is published. Linking changes no field of either entry
(nothing is republished, nothing to re-index); it is audited and kept in the entry's history.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from ..core import audit
from ..core.db import transaction
from ..core.numbers import normalize_doc_number
from ..extensions import db
from ..models import Document, DocumentRelation
from ..models.catalog import DocumentEvent
from ..models.staff import REVIEWER, User
from ..offices.scoping import mine
from . import rules
from .rules import WorkflowError
from .steps import lock

# Role of the page's entry → (stored kind, whether the page's entry is the stored source, label).
ROLES = {
    "interprets": ("解读", True, "解读的原文"),        # this entry is the 解读 of the other
    "interpreted_by": ("解读", False, "本文件的解读"),  # the other is the 解读 of this entry
    "repeals": ("废止", True, "本文件废止了"),          # this entry repealed the other
    "repealed_by": ("废止", False, "废止本文件的文件"),  # the other repealed this entry: 「已被《…》废止」
    "related": ("相关", True, "相关信息"),
}
# What staff choose on the entry's page, from that entry's side.
ROLE_CHOICES = {
    "interpreted_by": "所选信息是本信息的解读",
    "interprets": "本信息是所选信息的解读（政策解读）",
    "repealed_by": "本信息已被所选信息废止",
    "repeals": "本信息废止了所选信息",
    "related": "相关信息",
}
# Import fields naming another entry (by 索引号 or 发文字号), read from the line's own side.
IMPORT_FIELDS = {"interprets": "解读的原文", "repealed_by": "废止依据", "related": "相关信息"}
IMPORT_ALIASES = {label: name for name, label in IMPORT_FIELDS.items()}

_EPOCH = date(1900, 1, 1)  # sorts entries without a 发布日期 last

audit.label_actions({"document_relate": "关联信息", "document_unrelate": "取消关联"})
NOT_REPEALED = "只有有效性为“废止”的信息才能关联废止它的文件：请先办理废止"
NOT_REPEALED_LINE = "只有有效性为“废止”的信息才能关联废止它的文件：本行的有效性应为“废止”"  # the import's wording


class AlreadyLinked(WorkflowError):
    """The two entries are linked already (an import of the same file again changes nothing)."""


@dataclass(frozen=True)
class Link:
    """One link seen from an entry: the row, this entry's role in it, and the other entry."""

    relation: DocumentRelation
    role: str
    other: Document

    @property
    def label(self) -> str:
        """How the page of this entry introduces the other one."""
        return ROLES[self.role][2]

    @property
    def kind(self) -> str:
        """The stored kind (解读, 废止, 相关)."""
        return self.relation.kind


def role_of(relation: DocumentRelation, doc_id: int) -> str:
    """The role the entry `doc_id` has in the relation."""
    is_source = relation.source_id == doc_id
    if relation.kind == "相关":
        return "related"
    for role, (kind, source_side, _label) in ROLES.items():
        if kind == relation.kind and source_side == is_source:
            return role
    raise ValueError(f"unknown relation kind {relation.kind!r}")


def links_of(doc: Document, *, public: bool = True) -> list[Link]:
    """The entry's links in a stable order (role, then the other's 发布日期 newest first); with `public`,
    only those whose other entry residents may see."""
    if doc.id is None:
        return []
    rows = db.session.scalars(select(DocumentRelation).where(
        or_(DocumentRelation.source_id == doc.id, DocumentRelation.target_id == doc.id))
        .order_by(DocumentRelation.id))
    links = []
    for row in rows:
        other = row.target if row.source_id == doc.id else row.source
        if public and not other.is_public:
            continue
        links.append(Link(row, role_of(row, doc.id), other))
    order = list(ROLES)
    return sorted(links, key=lambda link: (order.index(link.role), -(link.other.published_date or _EPOCH).toordinal(),
                                           link.relation.id))


def grouped(links: list[Link]) -> list[tuple[str, list[Link]]]:
    """Links grouped by role, in ROLES order, for the entry's page."""
    return [(role, [link for link in links if link.role == role]) for role in ROLES
            if any(link.role == role for link in links)]


def find_entries(reference: str) -> list[Document]:
    """The current office's entries a 索引号 or a 发文字号 names (withdrawn ones are never linked): one, none, or
    several (the same 文号 from two 发布机构). Another office's entries (its drafts too) are never found."""
    reference = (reference or "").strip()
    if not reference:
        return []
    by_index = db.session.scalar(select(Document).where(mine(Document), Document.index_number == reference))
    if by_index is not None:
        return [] if by_index.status == "withdrawn" else [by_index]
    number = normalize_doc_number(reference)
    if not number:
        return []
    return list(db.session.scalars(select(Document).where(mine(Document), Document.doc_number == number,
                                                          Document.status != "withdrawn").order_by(Document.id)))


def resolve(reference: str) -> Document:
    """The one entry a reference names, or a WorkflowError saying why not, in Chinese."""
    found = find_entries(reference)
    shown = reference.strip()[:64]
    if not found:
        raise WorkflowError(f"找不到索引号或发文字号为“{shown}”的信息")
    if len(found) > 1:
        raise WorkflowError(f"发文字号“{shown}”对应多条信息，请改填索引号")
    return found[0]


def refusal(doc: Document, user: User) -> str | None:
    """Why `user` may not change this entry's links now; None when allowed. The rules of editing the entry
    (rules.refusal): an 编辑 on a draft, a 审核 on a published entry; never while it waits for review (what
    the 审核 approves does not change under them) nor once withdrawn."""
    if doc.status == "draft":
        return rules.refusal("edit", doc, user, True)
    if doc.status == "published":
        return None if user.has_role(REVIEWER) else "只有审核可以修改已发布信息的关联"
    if doc.status == "review":
        return "待审核的信息不能修改关联：请先退回修改"
    return "已撤回的信息不能修改关联"


def existing(a: Document, b: Document) -> DocumentRelation | None:
    """The link between two entries, whichever way round, if any."""
    return db.session.scalar(select(DocumentRelation).where(or_(
        (DocumentRelation.source_id == a.id) & (DocumentRelation.target_id == b.id),
        (DocumentRelation.source_id == b.id) & (DocumentRelation.target_id == a.id))))


def _title(doc: Document) -> str:
    """An entry as named in messages and the history."""
    return f"《{doc.title[:60]}》" + (f"（{doc.index_number}）" if doc.index_number else "")


def add_link(doc: Document, other: Document, role: str, actor: User | str | None) -> DocumentRelation:
    """Link two entries in the caller's transaction, audited and in `doc`'s history; refuses a link to
    itself and a second link between the same pair."""
    if role not in ROLES:
        raise WorkflowError("请选择关联类型")
    if other.id == doc.id:
        raise WorkflowError("不能把信息与它自身关联")
    found = existing(doc, other)
    if found is not None:
        shown = ROLES[role_of(found, doc.id)][2]
        raise AlreadyLinked(f"这两条信息已经关联（{shown}：{_title(other)}），不能重复关联；如需改变类型，请先取消原关联")
    kind, source_side, _label = ROLES[role]
    source, target = (doc, other) if source_side else (other, doc)
    if kind == "废止" and target.validity != "废止":
        raise WorkflowError(NOT_REPEALED)  # the page would say 「已被…废止」 beside 有效性：有效
    relation = DocumentRelation(source_id=source.id, target_id=target.id, kind=kind)
    db.session.add(relation)
    db.session.flush()
    _history(doc, other, relation, actor, linked=True)
    return relation


def relate(doc: Document, reference: str, role: str, user: User) -> DocumentRelation:
    """Staff link the entry to the one a 索引号 or 发文字号 names, in one transaction."""
    with transaction():
        other = resolve(reference)
        for entry in sorted((doc, other), key=lambda d: d.id):  # both rows, in one order: A→B and B→A at once
            lock(entry)                                          # cannot both pass `existing`
        reason = refusal(doc, user)
        if reason:
            raise WorkflowError(reason)
        relation = add_link(doc, other, role, user)
    return relation


def unrelate(doc: Document, relation_id: int, user: User) -> Document:
    """Staff remove one of the entry's links; the other entry of the link is returned."""
    with transaction():
        lock(doc)
        reason = refusal(doc, user)
        if reason:
            raise WorkflowError(reason)
        relation = db.session.get(DocumentRelation, relation_id)
        if relation is None or doc.id not in (relation.source_id, relation.target_id):
            raise WorkflowError("此关联不存在或已被取消")
        other = relation.target if relation.source_id == doc.id else relation.source
        _history(doc, other, relation, user, linked=False)
        db.session.delete(relation)
    return other


CHANGE_NAMES = {True: ("document_relate", "related", "关联信息"), False: ("document_unrelate", "unrelated", "取消关联")}


def _note(relation: DocumentRelation, entry: Document, other: Document) -> str:
    """The link as `entry`'s history names it: its label from that side, and the other entry."""
    return f"{ROLES[role_of(relation, entry.id)][2]}：{_title(other)}"


def _history(doc: Document, other: Document, relation: DocumentRelation, actor, *, linked: bool) -> None:
    """One change of links (made from `doc`'s page): the audit row with the link's fields, and a history row on
    each entry, since both public pages change."""
    data = {"source_id": relation.source_id, "target_id": relation.target_id, "kind": relation.kind}
    action, event, verb = CHANGE_NAMES[linked]
    entry = audit.record(action, "document", doc.id, f"{verb} {_title(doc)}，{_note(relation, doc, other)}",
                         before=None if linked else data, after=data if linked else None, actor=actor)
    for page, across in ((doc, other), (other, doc)):
        page.events.append(DocumentEvent(at=entry.at, actor_id=entry.actor_id, actor_name=entry.actor_name,
                                         action=event, status=page.status, note=_note(relation, page, across)))

"""Who may take which publishing step in which state: one table, read by the services and the buttons.

    draft ──submit──▶ review ──publish──▶ published ──change / repeal / expire──▶ published
      ▲                 │                     │
      └────return───────┘                     └──withdraw──▶ withdrawn

An 编辑 drafts, edits and submits; a 审核 who neither drafted nor edited the entry publishes it. When
the office turns review off, an 编辑 (or 审核) publishes straight from the draft. Changing, repealing
and withdrawing a published entry are for 审核.
"""
from __future__ import annotations

from ..models.staff import EDITOR, REVIEWER

ACTION_LABELS = {
    "edit": "保存修改",
    "submit": "提交审核",
    "return": "退回修改",
    "publish": "发布",
    "change": "保存变更并重新发布",
    "repeal": "废止",
    "expire": "标为失效",
    "withdraw": "撤回（不再公开）",
    "delete_attachment": "删除附件",
}
# Steps whose content edits make someone an author for the four-eyes rule.
AUTHORING_EVENTS = ("drafted", "edited", "attachment_removed")


class WorkflowError(ValueError):
    """A step that is not allowed now, or not for this user; the message is for staff, in Chinese."""


def contributors(doc) -> set[int]:
    """Ids of everyone who drafted or edited the entry's content (they may not review it)."""
    ids = {doc.author_id} if doc.author_id else set()
    ids.update(e.actor_id for e in doc.events if e.action in AUTHORING_EVENTS and e.actor_id)
    return ids


def refusal(action: str, doc, user, review_required: bool) -> str | None:
    """Why `user` may not take `action` on `doc` now, in Chinese; None when allowed."""
    status = doc.status
    editor, reviewer = user.has_role(EDITOR), user.has_role(REVIEWER)
    if action in ("edit", "submit"):
        if not editor:
            return "只有编辑可以修改或提交草稿"
        if status != "draft":
            return "只有草稿可以修改或提交审核"
        if action == "submit" and not review_required:
            return "本机关已关闭发布审核，编辑可直接发布"
        return None
    if action == "return":
        if status != "review":
            return "只有待审核的信息可以退回修改"
        return None if (editor or reviewer) else "只有编辑或审核可以退回修改"
    if action == "publish":
        return _publish_refusal(doc, user, review_required)
    if action in ("change", "repeal", "expire", "withdraw"):
        if not reviewer:
            return "只有审核可以变更、废止或撤回已发布的信息"
        if status != "published":
            return "只有已发布的信息可以变更、废止或撤回"
        if action == "repeal" and doc.validity == "废止":
            return "此信息已经废止"
        if action == "expire" and doc.validity != "有效":
            return "只有有效的信息可以标为失效"
        return None
    if action == "delete_attachment":
        if status == "draft":
            return None if editor else "只有编辑可以删除草稿的附件"
        if status == "published":
            return None if reviewer else "只有审核可以删除已发布信息的附件"
        return "待审核或已撤回的信息不能删除附件"
    raise ValueError(f"unknown publishing action {action!r}")


def _publish_refusal(doc, user, review_required: bool) -> str | None:
    """The publication rule: a 审核 who is not an author, unless the office turned review off."""
    if review_required:
        if not user.has_role(REVIEWER):
            return "只有审核可以发布信息"
        if doc.status != "review":
            return "请先提交审核，审核通过后才能发布"
        if user.id in contributors(doc):
            return "起草或修改过此信息的人不能审核发布，请由其他审核人员发布"
        return None
    if not user.has_role(EDITOR, REVIEWER):
        return "只有编辑或审核可以发布信息"
    if doc.status not in ("draft", "review"):
        return "只有草稿或待审核的信息可以发布"
    return None


def allowed_actions(doc, user, review_required: bool) -> list[str]:
    """The steps this user may take on this entry now, in button order."""
    return [a for a in ACTION_LABELS if refusal(a, doc, user, review_required) is None]


def check(action: str, doc, user, review_required: bool) -> None:
    """Raise WorkflowError when the step is not allowed."""
    reason = refusal(action, doc, user, review_required)
    if reason:
        raise WorkflowError(reason)

"""Staff accounts with their roles in each office they belong to, and the append-only audit log of what staff
did. The district's own roles (区级管理员, 政务公开办) are held on the account, not per office."""
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship

from ..core.clock import utcnow
from ..extensions import db
from .office import Office
from .types import AwareDateTime

ADMIN = "admin"        # 管理员: accounts, office settings, the calendar
EDITOR = "editor"      # 编辑: drafts entries
REVIEWER = "reviewer"  # 审核: approves and publishes entries
HANDLER = "handler"    # 经办人: handles applications
HEAD = "head"          # 负责人: approves extensions and Art. 35 delays
ROLES = (ADMIN, EDITOR, REVIEWER, HANDLER, HEAD)
ROLE_LABELS = {ADMIN: "管理员", EDITOR: "编辑", REVIEWER: "审核", HANDLER: "经办人", HEAD: "负责人"}
# The district's roles, across its offices.
DISTRICT_ADMIN = "district_admin"  # 区级管理员: adds and edits offices, manages every office's accounts
COORDINATOR = "coordinator"        # 政务公开办: passes unconfirmed applications between offices, the 汇总 table
DISTRICT_ROLES = (DISTRICT_ADMIN, COORDINATOR)
DISTRICT_ROLE_LABELS = {DISTRICT_ADMIN: "区级管理员", COORDINATOR: "政务公开办"}


def _codes(text: str | None) -> frozenset[str]:
    """Role codes stored joined by commas."""
    return frozenset(r for r in (text or "").split(",") if r)


def _joined(roles, known: tuple[str, ...]) -> str:
    """Role codes in the canonical order; unknown codes are refused."""
    unknown = set(roles) - set(known)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return ",".join(r for r in known if r in set(roles))


def new_session_token() -> str:
    """A random token in the session cookie; rotating it signs the account out everywhere."""
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A staff account. Never deleted (the audit log points at it): deactivated instead."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    # Optional: where the holder is told that someone is guessing the account's password.
    email: Mapped[str] = mapped_column(String(254), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    # District role codes joined by commas; the roles in each office are its `memberships`.
    district_roles: Mapped[str] = mapped_column(String(100), default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(AwareDateTime)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", order_by="Membership.office_id")

    def membership(self, office_id: int) -> "Membership | None":
        """The account's membership of one office, or None."""
        return next((m for m in self.memberships if m.office_id == office_id), None)

    def roles_in(self, office_id: int) -> frozenset[str]:
        """The account's role codes in one office (none where it is not a member)."""
        member = self.membership(office_id)
        return _codes(member.roles) if member else frozenset()

    def set_roles_in(self, office_id: int, roles) -> None:
        """Make the account a member of the office with these roles (unknown codes are refused)."""
        joined = _joined(roles, ROLES)
        member = self.membership(office_id)
        if member is None:
            self.memberships.append(Membership(office_id=office_id, roles=joined))
        else:
            member.roles = joined

    @property
    def office_ids(self) -> frozenset[int]:
        """The offices the account belongs to."""
        return frozenset(m.office_id for m in self.memberships)

    @property
    def role_set(self) -> frozenset[str]:
        """The account's role codes in the current office (Office.current())."""
        return self.roles_in(Office.current().id)

    @role_set.setter
    def role_set(self, roles) -> None:
        """Set the account's roles in the current office."""
        self.set_roles_in(Office.current().id, roles)

    @property
    def roles(self) -> str:
        """The role codes in the current office joined by commas (what the audit log's snapshots record)."""
        return ",".join(r for r in ROLES if r in self.role_set)

    @property
    def district_role_set(self) -> frozenset[str]:
        """The account's district role codes."""
        return _codes(self.district_roles)

    @district_role_set.setter
    def district_role_set(self, roles) -> None:
        self.district_roles = _joined(roles, DISTRICT_ROLES)

    def has_district_role(self, *roles: str) -> bool:
        """Whether the account (active) holds any of these district roles."""
        return self.active and bool(self.district_role_set & set(roles))

    @property
    def role_labels(self) -> list[str]:
        """The roles in Chinese, in the usual order."""
        return [ROLE_LABELS[r] for r in ROLES if r in self.role_set]

    def has_role(self, *roles: str) -> bool:
        """Whether the account holds any of `roles` (and is active)."""
        return self.active and bool(self.role_set & set(roles))

    @property
    def is_active(self) -> bool:
        """Flask-Login: a deactivated account cannot sign in or stay signed in."""
        return self.active

    def get_id(self) -> str:
        """Flask-Login: the id plus the session token, so rotating the token ends every session."""
        return f"{self.id}:{self.session_token}"

    @property
    def name(self) -> str:
        """The name shown to other staff and written in the audit log."""
        return self.display_name or self.username


class Membership(db.Model):
    """An account's place in one office: its roles there (an account may belong to several offices)."""

    __tablename__ = "office_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    roles: Mapped[str] = mapped_column(String(100), default="")

    user: Mapped[User] = relationship(back_populates="memberships")
    office: Mapped[Office] = relationship()

    __table_args__ = (UniqueConstraint("user_id", "office_id"),)


class AuditEntry(db.Model):
    """One staff action: who, when, what, on which object, before/after. Rows are never changed."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(64), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)   # JSON
    ip: Mapped[str] = mapped_column(String(45), default="")
    # The office whose pages the action was taken in (None: before offices, or the district's own pages).
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)

    __table_args__ = (db.Index("ix_audit_entry_object", "object_type", "object_id"),)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target):
    """The audit log is evidence: an entry, once written, is never changed."""
    raise AuditLogIsAppendOnly("审计日志只能追加，不能修改")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target):
    """The audit log is evidence: an entry, once written, is never deleted."""
    raise AuditLogIsAppendOnly("审计日志只能追加，不能删除")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState):
    """Bulk ORM UPDATE/DELETE skips mapper events: refuse them for the audit log too."""
    if (state.is_update or state.is_delete) and any(m.class_ is AuditEntry for m in state.all_mappers):
        raise AuditLogIsAppendOnly("审计日志只能追加，不能修改或删除")

"""Signing in and out, and the 工作台 (dashboard) that links to the areas a user may use."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from .. import audit
from ..auth import (
    SIGNIN_FAILED, allow_anonymous, authenticate, go_home, require_roles, safe_next, signin_ip_limit,
)
from ..extensions import db, limiter
from ..models import OFFICE_TZ, CalendarYear
from ..models.staff import ADMIN, ROLES
from . import bp
from .forms import SignInForm


@dataclass(frozen=True)
class Area:
    """A link on the dashboard and in the staff navigation; who sees it follows the endpoint's roles."""

    label: str
    endpoint: str
    description: str


AREAS: list[Area] = []


def add_area(label: str, endpoint: str, description: str) -> None:
    """Offer an area on the dashboard (shown only to users whose roles the endpoint accepts)."""
    if all(area.endpoint != endpoint for area in AREAS):
        AREAS.append(Area(label, endpoint, description))


def areas_for(user) -> list[Area]:
    """The areas this user may open, in the order they were added."""
    shown = []
    for area in AREAS:
        view = current_app.view_functions.get(area.endpoint)
        roles = getattr(view, "required_roles", None)
        if roles and user.has_role(*roles):
            shown.append(area)
    return shown


@bp.app_context_processor
def inject_staff_areas():
    """Staff pages show the areas the signed-in user may use (computed only when asked)."""
    return {"staff_areas": lambda: areas_for(current_user) if current_user.is_authenticated else []}


def office_today() -> date:
    """Today in the office's time zone."""
    return datetime.now(OFFICE_TZ).date()


def calendar_banner(today: date, loaded_years: Iterable[int]) -> str | None:
    """From 1 November, a warning while next year's holiday schedule is not loaded (and at any time
    while this year's is not); else None.
    """
    loaded = set(loaded_years)
    if today.year not in loaded:
        return (f"今年（{today.year}年）的节假日安排尚未载入工作日历，期限只能按估算显示。"
                "请尽快导入国务院办公厅公布的安排。")
    next_year = today.year + 1
    if today < date(today.year, 11, 1) or next_year in loaded:
        return None
    return (f"明年（{next_year}年）的节假日安排尚未载入工作日历。国务院办公厅公布安排后请及时导入；"
            f"在此之前，落在{next_year}年的期限只能按估算显示。")


def _failed_signin(response) -> bool:
    """Count only failed attempts against the per-address limit."""
    return g.get("signin_failed", False)


@bp.route("/login", methods=["GET", "POST"])
@allow_anonymous
@limiter.limit(signin_ip_limit, methods=["POST"], deduct_when=_failed_signin)
def login():
    """The sign-in page; one message for every failure, so it never tells whether an account exists."""
    if current_user.is_authenticated and current_user.has_role(*ROLES):
        return go_home()
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            target = safe_next(request.args.get("next"))
            session.clear()  # a fresh session at sign-in: nothing carried over from before
            login_user(user)
            return redirect(target or url_for("admin.dashboard"))
        g.signin_failed = True
        error = SIGNIN_FAILED
    return render_template("admin/login.html", form=form, error=error)


@bp.post("/logout")
@allow_anonymous
def logout():
    """Sign out (POST with the CSRF token, so a link or an image cannot sign anyone out)."""
    if current_user.is_authenticated:
        audit.record("logout", "user", current_user.id, f"{current_user.name} 退出登录")
        db.session.commit()
        logout_user()
    session.clear()
    flash("您已退出登录。", "info")
    return redirect(url_for("admin.login"))


@bp.get("/")
@require_roles(*ROLES)
def dashboard():
    """工作台: the user's roles, the areas they may use, and warnings that need action."""
    loaded = db.session.scalars(select(CalendarYear.year).where(CalendarYear.year >= office_today().year))
    return render_template("admin/dashboard.html", areas=areas_for(current_user),
                           banner=calendar_banner(office_today(), loaded), can_import=current_user.has_role(ADMIN))

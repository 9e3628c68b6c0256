"""The residents' shell: home, guide, rules, the office's name and the sections on every page."""
from pathlib import Path

from flask import current_app, redirect, url_for
from sqlalchemy import func, select

from ..catalog.queries import newest_published
from ..core.rendering import render
from ..extensions import db
from ..models import STANDARD_COLUMNS, Office, StandardCatalogItem
from ..offices import office_choice, several_offices, shared_page, url_office
from . import bp
from .guide import complaint_text, fee_rules

DATA = Path(__file__).resolve().parent / "data"
SECTIONS = (
    ("公开指南", "public.guide", "怎样查找信息、怎样申请、办公地址与时间"),
    ("公开制度", "public.rules", "《中华人民共和国政府信息公开条例》全文"),
    ("法定主动公开内容", "catalog.catalog", "主动公开的文件、通知、报告"),
    ("依申请公开", "apply.start", "申请获取未公开的政府信息，查询办理进度"),
    ("公开年报", "reports.annual_reports", "政府信息公开工作年度报告"),
)


@bp.app_context_processor
def inject_office():
    """Every page shows the office's name (read once per request) — or, on the shared pages of a portal of
    several offices, the portal's name (PORTAL_NAME), with no one office's address in the footer."""
    shared = shared_page()
    office = Office.current()
    return {"office": office, "sections": SECTIONS, "shared_pages": shared,
            "site_name": current_app.config["PORTAL_NAME"] if shared else office.name}


@bp.get("/")
def index():
    """Home: the office, the five sections, the latest entries and a search box; the portal's home of several
    offices lists them, each with its own pages, above the latest entries of all."""
    scope = url_office()
    offices = Office.listed() if scope is None and several_offices() else []
    return render("public/index.html", latest=newest_published(8, scope), offices=offices,
                  scope=scope)


@bp.get("/guide")
def guide():
    """政府信息公开指南, built from the office's settings (each office's own, on a portal of several)."""
    if shared_page():
        return office_choice("政府信息公开指南", "public.guide")
    office = Office.current()
    return render("public/guide.html", fee_rules=fee_rules(office), complaint=complaint_text(office))


@bp.get("/standard-catalog")
def standard_catalog():
    """基层政务公开标准目录: what the office publishes, on what basis, when, by whom, where, to whom, how."""
    if shared_page():
        return office_choice("基层政务公开标准目录", "public.standard_catalog")
    return render("public/standard_catalog.html", items=StandardCatalogItem.ordered(), columns=STANDARD_COLUMNS)


@bp.get("/rules")
def rules():
    """政府信息公开制度: the regulation's text, shipped with the portal."""
    text = (DATA / "政府信息公开条例_2019.md").read_text("utf-8")
    paragraphs = [p.strip() for p in text.split("\n") if p.strip() and not p.startswith("<!--")]
    return render("public/rules.html", paragraphs=paragraphs)


@bp.get("/apply-info")
def apply_info():
    """Old link to 依申请公开."""
    return redirect(url_for("apply.start"), 301)


@bp.get("/healthz")
def healthz():
    """Liveness for the operator: the database answers."""
    db.session.execute(select(func.count()).select_from(Office))
    return {"status": "ok"}


@bp.get("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page names: the portal's icon."""
    return redirect(url_for("static", filename="img/favicon.svg"), 301)

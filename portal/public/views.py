"""Public pages: thin views that parse, ask a query or the index, and render."""
from datetime import datetime, time

from flask import abort, current_app, make_response, redirect, request, url_for
from sqlalchemy import func, select

from .. import search
from ..catalog.attachments import send_attachment
from ..extensions import db
from ..models import OFFICE_TZ, Document, Office
from ..rendering import render
from . import bp
from .choices import catalog_choices
from .filters import SORTS, CatalogFilters
from .paging import Page

SECTIONS = (
    ("公开指南", "public.guide", "怎样查找信息、怎样申请、办公地址与时间"),
    ("公开制度", "public.rules", "《中华人民共和国政府信息公开条例》全文"),
    ("法定主动公开内容", "public.catalog", "本机关主动公开的文件、通知、报告"),
    ("依申请公开", "apply.start", "申请获取未公开的政府信息，查询办理进度"),
    ("公开年报", "public.annual_reports", "政府信息公开工作年度报告"),
)
MAX_QUERY = 200
SEARCH_PAGE_SIZE = 10


@bp.app_context_processor
def inject_office():
    """Every page shows the office's name; read once per request."""
    return {"office": Office.current(), "sections": SECTIONS}


def published_or_404(doc_id: int) -> Document:
    """An entry residents may see, or the Chinese 404 page."""
    doc = db.session.get(Document, doc_id)
    if doc is None or not doc.is_public:
        abort(404)
    return doc


@bp.get("/")
def index():
    """Home: the office, the five sections, the latest entries and a search box."""
    latest = db.session.scalars(
        select(Document).where(Document.status == "published")
        .order_by(Document.published_date.desc().nulls_last(), Document.id.desc()).limit(8)
    ).all()
    return render("public/index.html", latest=latest)


@bp.get("/catalog")
def catalog():
    """法定主动公开内容: filter, sort and page; htmx swaps only the results block."""
    filters = CatalogFilters.from_args(request.args)
    page = db.paginate(filters.statement(), page=filters.page, per_page=current_app.config["PAGE_SIZE"],
                       error_out=False, count=True)
    return render("public/catalog.html", "results", filters=filters, page=page,
                  choices=catalog_choices(), sorts=SORTS)


@bp.get("/documents/<int:doc_id>")
def document(doc_id: int):
    """One entry: its metadata block, body and attachments."""
    return render("public/document.html", doc=published_or_404(doc_id))


@bp.get("/documents/<int:doc_id>/attachments/<int:attachment_id>")
def attachment(doc_id: int, attachment_id: int):
    """Download an attachment under its original name, with its checked type."""
    return send_attachment(published_or_404(doc_id).id, attachment_id)


@bp.get("/search")
def search_page():
    """Chinese full-text search; a stable URL that can be shared. htmx swaps the results block."""
    q = clean_query(request.args.get("q", ""))
    filters = CatalogFilters.from_args(request.args)
    results, docs, paging = None, {}, None
    if q:
        results = search.query(q, category=filters.category or None, year=filters.year,
                               page=filters.page, per_page=SEARCH_PAGE_SIZE)
        paging = Page(results.page, results.per_page, results.total)
        ids = [hit.doc_id for hit in results.hits]
        docs = {d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_(ids)))}

    def link(**changes) -> dict:
        """Arguments for a link that keeps the query and filters but changes some."""
        args = {"q": q, "category": filters.category, "year": filters.year or "",
                "page": filters.page if filters.page > 1 else ""}
        args.update(changes)
        return {k: v for k, v in args.items() if v not in ("", None)}

    return render("public/search.html", "results", q=q, filters=filters, results=results, docs=docs,
                  paging=paging, link=link)


def clean_query(raw: str) -> str:
    """Drop characters no one types (lone surrogates, controls) and cap the length."""
    text = "".join(ch for ch in raw if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)
    return " ".join(text.split())[:MAX_QUERY]


@bp.get("/guide")
def guide():
    """政府信息公开指南, built from the office's settings."""
    return render("public/guide.html")


@bp.get("/rules")
def rules():
    """政府信息公开制度: the regulation's text, shipped with the portal."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "data" / "政府信息公开条例_2019.md").read_text("utf-8")
    paragraphs = [p.strip() for p in text.split("\n") if p.strip() and not p.startswith("<!--")]
    return render("public/rules.html", paragraphs=paragraphs)


@bp.get("/apply-info")
def apply_info():
    """Old link to 依申请公开."""
    return redirect(url_for("apply.start"), 301)


@bp.get("/feed.atom")
def feed():
    """An Atom feed of the 50 newest entries."""
    docs = db.session.scalars(
        select(Document).where(Document.status == "published")
        .order_by(Document.published_date.desc().nulls_last(), Document.id.desc()).limit(50)
    ).all()
    updated = max((d.updated_at for d in docs), default=datetime.now(OFFICE_TZ))
    body = render("public/feed.xml", docs=docs, updated=updated, day_start=day_start)
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response


def day_start(day) -> str:
    """RFC 3339 timestamp of a date's midnight in the office's zone."""
    return datetime.combine(day, time(0), OFFICE_TZ).isoformat()


@bp.get("/sitemap.xml")
def sitemap():
    """Every public page and entry, for search engines (the protocol allows 50,000 URLs)."""
    rows = db.session.execute(
        select(Document.id, Document.updated_at).where(Document.status == "published")
        .order_by(Document.id).limit(49_990)
    ).all()
    body = render("public/sitemap.xml", rows=rows)
    response = make_response(body)
    response.mimetype = "application/xml"
    return response


@bp.get("/documents")
def documents_redirect():
    """Old-style links to the list land on the catalog."""
    return redirect(url_for("public.catalog"), 301)


@bp.get("/healthz")
def healthz():
    """Liveness for the operator: the database answers."""
    db.session.execute(select(func.count()).select_from(Office))
    return {"status": "ok"}

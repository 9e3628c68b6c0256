"""The catalog's public pages: the list, an entry, search, feeds. Views parse, ask a query or the index, render."""
from datetime import datetime, time

from flask import abort, current_app, make_response, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import load_only

from ... import search
from ...core.clock import OFFICE_TZ
from ...core.paging import Page
from ...core.rendering import render
from ...core.urls import external_url
from ...extensions import db
from ...models import Document, Office
from ...offices import office_url, several_offices, url_office
from .. import relations
from ..attachments import send_attachment
from ..choices import catalog_choices, category_menu
from ..queries import newest_published
from . import bp
from .filters import SORTS, CatalogFilters

MAX_QUERY = 200
SEARCH_PAGE_SIZE = 10


def published_or_404(doc_id: int) -> Document:
    """An entry residents may see (published), or the Chinese 404 page."""
    return db.first_or_404(select(Document).where(Document.id == doc_id, Document.status == "published"))


@bp.app_template_global()
def entry_url(doc: Document, external: bool = False) -> str:
    """An entry's page: in a portal of several offices, on its office's pages (/o/<code>/documents/<id>)."""
    if several_offices():
        return office_url(doc.office, "catalog.document", external=external, doc_id=doc.id)
    return external_url("catalog.document", doc_id=doc.id) if external else url_for("catalog.document", doc_id=doc.id)


def office_choices(filters: CatalogFilters, counts: dict[int, int]) -> list[tuple[Office, int]]:
    """The 发布机关 choice of the portal's shared pages, with each office's count (none on an office's own
    pages or in a single-office portal)."""
    if filters.scope is not None or not several_offices():
        return []
    return [(office, counts.get(office.id, 0)) for office in Office.listed()]


def within_pages(filters: CatalogFilters, total: int, pages: int) -> bool:
    """Bring a page past the last (an old link, a typed number) back to the last one, with a notice; whether
    the page asked for had to change (the caller fetches that page again)."""
    if not total or filters.page <= pages:
        return False
    filters.notices.append(f"没有第 {filters.page} 页（共 {pages} 页），已显示最后一页。")
    filters.page = pages
    return True


@bp.get("/catalog")
def catalog():
    """法定主动公开内容 (an office's, or every office's with a 发布机关 choice): filter, sort and page; htmx
    swaps only the results block."""
    filters = CatalogFilters.from_args(request.args, url_office())

    def fetch():
        """The page of entries filters.page names."""
        return db.paginate(filters.statement(), page=filters.page, per_page=current_app.config["PAGE_SIZE"],
                           error_out=False, count=True)

    page = fetch()
    if within_pages(filters, page.total, page.pages):
        page = fetch()
    choices = catalog_choices(filters.scope.id if filters.scope else None)
    return render("catalog/catalog.html", "results", filters=filters, page=page, choices=choices,
                  categories=category_menu(choices["category_counts"], filters.category), sorts=SORTS,
                  offices=office_choices(filters, choices["office_counts"]))


@bp.get("/documents/<int:doc_id>")
def document(doc_id: int):
    """One entry: its metadata block, body and attachments. In a portal of several offices an entry is shown
    on its own office's pages only: its address without the prefix, or under another office's, is sent there."""
    doc = published_or_404(doc_id)
    if several_offices() and doc.office_id != getattr(url_office(), "id", None):
        return redirect(entry_url(doc), 302)
    return render("catalog/document.html", doc=doc, links=relations.grouped(relations.links_of(doc)))


@bp.get("/documents/<int:doc_id>/attachments/<int:attachment_id>")
def attachment(doc_id: int, attachment_id: int):
    """Download an attachment under its original name, with its checked type (404 under another office's
    pages: the entry's page links its own)."""
    doc = published_or_404(doc_id)
    scope = url_office()
    if scope is not None and doc.office_id != scope.id:
        abort(404)
    return send_attachment(doc.id, attachment_id)


@bp.get("/search")
def search_page():
    """Chinese full-text search (of an office's entries on its pages, else of every office's, with a 发布机关
    facet); a stable URL that can be shared. htmx swaps the results block."""
    q = clean_query(request.args.get("q", ""))
    filters = CatalogFilters.from_args(request.args, url_office())
    results, docs, paging, offices = None, {}, None, {}
    if q:
        def fetch():
            """The page of hits filters.page names."""
            return search.query(q, category=filters.category or None, year=filters.year, office=filters.office_id,
                                page=filters.page, per_page=SEARCH_PAGE_SIZE)

        results = fetch()
        if within_pages(filters, results.total, Page(results.page, results.per_page, results.total).pages):
            results = fetch()
        paging = Page(results.page, results.per_page, results.total)
        ids = [hit.doc_id for hit in results.hits]
        docs = {d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_(ids)))}
        if filters.scope is None and several_offices():
            offices = {office.id: office for office in Office.listed()}

    def link(**changes) -> dict:
        """Arguments for a link that keeps the query and filters but changes some."""
        args = {"q": q, "office": filters.office.code if filters.office else "", "category": filters.category,
                "year": filters.year or "", "page": filters.page if filters.page > 1 else ""}
        args.update(changes)
        return {k: v for k, v in args.items() if v not in ("", None)}

    return render("catalog/search.html", "results", q=q, filters=filters, results=results, docs=docs,
                  paging=paging, link=link, offices=offices)


def clean_query(raw: str) -> str:
    """Drop characters no one types (lone surrogates, controls) and cap the length."""
    text = "".join(ch for ch in raw if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)
    return " ".join(text.split())[:MAX_QUERY]


@bp.get("/feed.atom")
def feed():
    """An Atom feed of the 50 newest entries (of the office whose pages these are, else of every office)."""
    docs = newest_published(50, url_office())
    updated = max((d.updated_at for d in docs), default=datetime.now(OFFICE_TZ))
    body = render("catalog/feed.xml", docs=docs, updated=updated, day_start=day_start)
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response


def day_start(day) -> str:
    """RFC 3339 timestamp of a date's midnight in the office's zone."""
    return datetime.combine(day, time(0), OFFICE_TZ).isoformat()


@bp.get("/sitemap.xml")
def sitemap():
    """Every public page and entry (of the office whose pages these are, else of every office), for search
    engines (the protocol allows 50,000 URLs)."""
    stmt = select(Document).where(Document.status == "published")
    scope = url_office()
    if scope is not None:
        stmt = stmt.where(Document.office_id == scope.id)
    docs = db.session.scalars(stmt.options(load_only(Document.id, Document.updated_at, Document.office_id))
                              .order_by(Document.id).limit(49_990)).all()
    offices = Office.listed() if scope is None and several_offices() else []
    body = render("catalog/sitemap.xml", docs=docs, offices=offices)
    response = make_response(body)
    response.mimetype = "application/xml"
    return response


@bp.get("/documents")
def documents_redirect():
    """Old-style links to the list land on the catalog."""
    return redirect(url_for("catalog.catalog"), 301)

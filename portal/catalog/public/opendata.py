"""Open data: the catalog as read-only JSON and as CSV, with the same filters as the catalog page.

Under /o/<code>/ they hold that office's entries; without the prefix every office's, or one office's by
office=<code> (an unknown code is refused with 400, never answered with every office's entries)."""
import csv
import io

from flask import abort, current_app, jsonify, make_response, request

from ...core.inputs import parse_int
from ...core.urls import external_url
from ...extensions import db
from ...models import Document, Office
from ...offices import office_url, several_offices, url_office
from .. import relations
from . import bp
from .filters import CatalogFilters
from .views import entry_url

MAX_PER_PAGE = 100
CSV_LIMIT = 20_000
FIELDS = ("id", "index_number", "doc_number", "title", "publisher", "written_date", "published_date",
          "category", "doc_type", "validity", "repealed_date", "disclosure_method", "disclosure_scope",
          "timeliness", "keywords", "summary")
CSV_COLUMNS = (("index_number", "索引号"), ("title", "名称"), ("doc_number", "发文字号"), ("publisher", "发布机构"),
               ("written_date", "成文日期"), ("published_date", "发布日期"), ("category", "主题分类"),
               ("doc_type", "公文种类"), ("validity", "有效性"), ("repealed_date", "废止日期"),
               ("keywords", "关键词"), ("summary", "内容概述"))


def entry_json(doc: Document, *, body: bool = False) -> dict:
    """One entry's public fields (dates as ISO text), its page and attachments."""
    data = {name: getattr(doc, name) for name in FIELDS}
    for name in ("written_date", "published_date", "repealed_date"):
        data[name] = data[name].isoformat() if data[name] else None
    data["office"] = {"code": doc.office.code, "name": doc.office.name}
    data["url"] = entry_url(doc, external=True)
    data["attachments"] = [
        {"filename": a.filename, "mime_type": a.mime_type, "size": a.size,
         "url": external_url("catalog.attachment", doc_id=doc.id, attachment_id=a.id)}
        for a in doc.attachments]
    data["relations"] = [
        {"role": link.role, "label": link.label, "kind": link.kind, "id": link.other.id,
         "index_number": link.other.index_number, "title": link.other.title,
         "url": entry_url(link.other, external=True),
         "api_url": (office_url(link.other.office, "catalog.api_document", external=True, doc_id=link.other.id)
                     if several_offices() else external_url("catalog.api_document", doc_id=link.other.id))}
        for link in relations.links_of(doc)]
    if body:
        data["body"] = doc.body
    return data


def per_page_arg(notices: list[str]) -> int:
    """The page size asked for, at most 100; the catalog page's size, with a notice, for anything but a number."""
    raw = request.args.get("per_page", "").strip()
    default = current_app.config["PAGE_SIZE"]
    if not raw:
        return default
    value = parse_int(raw, 1)
    if value is None:
        notices.append(f"每页条数“{raw[:10]}”无效（应为 1—{MAX_PER_PAGE} 之间的半角数字），已按每页 {default} 条显示。")
        return default
    return min(value, MAX_PER_PAGE)


def open_data_filters() -> CatalogFilters:
    """The filters of an open-data request; an office= that names no office (here) is refused with 400."""
    filters = CatalogFilters.from_args(request.args, url_office())
    if filters.office_problem:
        abort(400, description=f"{filters.office_problem}。请使用本站机关的网址代码（见 /api/offices）。")
    return filters


@bp.get("/api/offices")
def api_offices():
    """The portal's offices: the codes office= takes, and where each office's own catalog is."""
    return jsonify({"items": [{"code": office.code, "name": office.name,
                               "catalog_url": office_url(office, "catalog.catalog", external=True),
                               "api_url": office_url(office, "catalog.api_documents", external=True)}
                              for office in Office.listed()]})


@bp.get("/api/documents")
def api_documents():
    """Published entries, filtered like the catalog page (office, category, doc_type, publisher, year,
    validity, sort)."""
    filters = open_data_filters()
    per_page = per_page_arg(filters.notices)
    page = db.paginate(filters.statement(), page=filters.page, per_page=per_page, error_out=False, count=True)
    return jsonify({
        "page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages,
        "filters": filters.args(page=""), "notices": filters.notices,
        "items": [entry_json(doc) for doc in page.items],
    })


@bp.get("/api/documents/<int:doc_id>")
def api_document(doc_id: int):
    """One published entry with its body text; the app's JSON 404 for anything else."""
    doc = db.session.get(Document, doc_id)
    scope = url_office()
    if doc is None or not doc.is_public or (scope is not None and doc.office_id != scope.id):
        abort(404)
    return jsonify(entry_json(doc, body=True))


def csv_cell(value) -> str:
    """A cell as text; text starting like a formula is prefixed so spreadsheets show it, not run it."""
    text = value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/catalog.csv")
def catalog_csv():
    """The filtered catalog list as CSV (UTF-8 with BOM, so Excel reads the Chinese correctly); in a portal
    of several offices each line names its 发布机关 (name and code)."""
    filters = open_data_filters()
    docs = db.session.scalars(filters.statement().limit(CSV_LIMIT))
    offices = several_offices()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow((["发布机关", "机关代码"] if offices else []) + [label for _, label in CSV_COLUMNS] + ["链接"])
    for doc in docs:
        writer.writerow(([csv_cell(doc.office.name), doc.office.code] if offices else [])
                        + [csv_cell(getattr(doc, name)) for name, _ in CSV_COLUMNS] + [entry_url(doc, external=True)])
    response = make_response(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=catalog.csv"
    return response


"""Open data: the catalog as read-only JSON and as CSV, with the same filters as the catalog page."""
import csv
import io

from flask import current_app, jsonify, make_response, request, url_for

from ...extensions import db
from ...models import Document
from . import bp
from .filters import CatalogFilters

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
    data["url"] = url_for("catalog.document", doc_id=doc.id, _external=True)
    data["attachments"] = [
        {"filename": a.filename, "mime_type": a.mime_type, "size": a.size,
         "url": url_for("catalog.attachment", doc_id=doc.id, attachment_id=a.id, _external=True)}
        for a in doc.attachments]
    if body:
        data["body"] = doc.body
    return data


def per_page_arg() -> int:
    """The page size asked for, within 1–100 (the catalog page's size by default)."""
    raw = request.args.get("per_page", "")
    default = current_app.config["PAGE_SIZE"]
    return min(int(raw), MAX_PER_PAGE) if raw.isdigit() and int(raw) > 0 else default


@bp.get("/api/documents")
def api_documents():
    """Published entries, filtered like the catalog page (category, doc_type, publisher, year, validity, sort)."""
    filters = CatalogFilters.from_args(request.args)
    page = db.paginate(filters.statement(), page=filters.page, per_page=per_page_arg(), error_out=False, count=True)
    return jsonify({
        "page": page.page, "per_page": page.per_page, "total": page.total, "pages": page.pages,
        "filters": filters.args(page=""), "notices": filters.notices,
        "items": [entry_json(doc) for doc in page.items],
    })


@bp.get("/api/documents/<int:doc_id>")
def api_document(doc_id: int):
    """One published entry with its body text; 404 as JSON for anything else."""
    doc = db.session.get(Document, doc_id)
    if doc is None or not doc.is_public:
        return jsonify({"error": "not_found", "message": "该信息不存在或未公开"}), 404
    return jsonify(entry_json(doc, body=True))


def csv_cell(value) -> str:
    """A cell as text; text starting like a formula is prefixed so spreadsheets show it, not run it."""
    text = value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/catalog.csv")
def catalog_csv():
    """The filtered catalog list as CSV (UTF-8 with BOM, so Excel reads the Chinese correctly)."""
    filters = CatalogFilters.from_args(request.args)
    docs = db.session.scalars(filters.statement().limit(CSV_LIMIT))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in CSV_COLUMNS] + ["链接"])
    for doc in docs:
        writer.writerow([csv_cell(getattr(doc, name)) for name, _ in CSV_COLUMNS]
                        + [url_for("catalog.document", doc_id=doc.id, _external=True)])
    response = make_response(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=catalog.csv"
    return response


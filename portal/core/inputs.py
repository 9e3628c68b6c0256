"""Guards on raw request input that every area shares."""
from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**31 - 1
# These read only the catalog filters (or the search box), which drop control characters themselves
# with a notice and still answer with results.
CLEANS_ITS_OWN_INPUT = {"catalog.search_page", "catalog.catalog", "catalog.api_documents", "catalog.catalog_csv"}  # the largest id an INTEGER column holds on PostgreSQL (SQLite: 2**63 - 1)


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs, bounded so a huge number is a 404 rather than a database overflow (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def _has_nul(values) -> bool:
    """Whether any submitted value carries a NUL character (PostgreSQL text cannot hold one)."""
    return any("\x00" in value for value in values)


def init_app(app: Flask) -> None:
    """Bound integer URL parts; refuse NUL characters in the query string and form fields."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_nul():
        if request.endpoint in CLEANS_ITS_OWN_INPUT:
            return
        if _has_nul(request.args.values()) or (request.form and _has_nul(request.form.values())):
            abort(400, description="提交的内容含有无法处理的控制字符，请检查后重新输入。")

"""Guards on raw request input that every area shares: whole numbers typed in ASCII digits within bounds,
and no NUL or control characters reaching the database."""
import unicodedata
from itertools import chain

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**31 - 1  # the largest id an INTEGER column holds on PostgreSQL (SQLite: 2**63 - 1)
# These read only the catalog filters (or the search box), which drop control characters themselves
# with a notice and still answer with results.
CLEANS_ITS_OWN_INPUT = {"catalog.search_page", "catalog.catalog", "catalog.api_documents", "catalog.catalog_csv"}
UNPRINTABLE = {"Cc", "Cs"}  # control characters (NUL among them) and lone surrogates


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs, bounded so a huge number is a 404 rather than a database overflow (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def parse_int(raw, low: int = 0, high: int = DB_INT_MAX) -> int | None:
    """A whole number written in ASCII digits (spaces around allowed) within low…high; None otherwise.

    `str.isdigit()` is not enough: it passes "²" and "①", which int() refuses, and int() itself takes
    "٣" and full-width "１２" — none of them a number anyone means in a URL or a form.
    """
    text = str(raw).strip() if raw is not None else ""
    if not text or len(text) > len(str(high)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if low <= value <= high else None


def has_unprintable(text: str) -> bool:
    """Whether text holds a control character or a lone surrogate (no name, number or code has one)."""
    return any(unicodedata.category(ch) in UNPRINTABLE for ch in text)


def _has_nul(values) -> bool:
    """Whether any submitted value (every value of a repeated key, not only the first) carries a NUL
    character (PostgreSQL text cannot hold one)."""
    return any("\x00" in value for value in values)


def init_app(app: Flask) -> None:
    """Bound integer URL parts; refuse control characters in URL parts, NUL in the query string and forms."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_nul():
        """A URL part with a control character names nothing (404); a NUL in a field is a 400."""
        if any(isinstance(v, str) and has_unprintable(v) for v in (request.view_args or {}).values()):
            abort(404)
        if request.endpoint in CLEANS_ITS_OWN_INPUT:
            return
        if _has_nul(chain.from_iterable(request.args.listvalues())) or (
                request.form and _has_nul(chain.from_iterable(request.form.listvalues()))):
            abort(400, description="提交的内容含有无法处理的控制字符，请检查后重新输入。")

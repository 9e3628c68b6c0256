"""Catalog filters from the query string: invalid values are dropped with a notice, never an error."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, select

from ...core.inputs import parse_int
from ...core.paging import MAX_PAGE
from ...models import VALIDITIES, Document, Office
from ...offices import CODE
from ..choices import catalog_choices
from ..themes import DOC_TYPES, is_valid_category

SORTS = {"published": "发布日期", "written": "成文日期"}


@dataclass
class CatalogFilters:
    """The filters a resident chose, cleaned; `notices` says what was ignored and why."""

    category: str = ""
    doc_type: str = ""
    publisher: str = ""
    year: int | None = None
    validity: str = ""
    sort: str = "published"
    page: int = 1
    notices: list[str] = field(default_factory=list)
    # The office whose own pages these are (/o/<code>/…): only its entries, whatever is asked.
    scope: Office | None = None
    # The 发布机关 chosen on the portal's shared pages (office=<code>), and why an office= was refused.
    office: Office | None = None
    office_problem: str = ""

    @classmethod
    def from_args(cls, args, scope: Office | None = None) -> "CatalogFilters":
        """Parse request.args (within `scope`'s entries, if given); keep what is valid, explain what is not."""
        f = cls(scope=scope)
        f._office_arg(args.get("office", ""))
        args = _printable(args, f.notices)
        category = args.get("category", "").strip()
        if category:
            if is_valid_category(category):
                f.category = category
            else:
                f.notices.append(f"主题分类“{category[:30]}”不存在，已忽略。")
        doc_type = args.get("doc_type", "").strip()
        if doc_type:
            if doc_type in DOC_TYPES:
                f.doc_type = doc_type
            else:
                f.notices.append(f"公文种类“{doc_type[:30]}”不存在，已忽略。")
        publisher = args.get("publisher", "").strip()[:100]
        if publisher:
            if publisher in catalog_choices(f.office_id)["publishers"]:
                f.publisher = publisher
            else:
                f.notices.append(f"发布机构“{publisher[:30]}”不在目录中，已忽略。")
        f.year = _int_arg(args, "year", 1949, 2100, "年份", f.notices)
        validity = args.get("validity", "").strip()
        if validity:
            if validity in VALIDITIES:
                f.validity = validity
            else:
                f.notices.append(f"有效性“{validity[:10]}”无效，已忽略。")
        sort = args.get("sort", "published")
        if sort in SORTS:
            f.sort = sort
        else:
            f.notices.append("排序方式无效，已按发布日期排序。")
        f.page = _int_arg(args, "page", 1, MAX_PAGE, "页码", f.notices) or 1
        return f

    def _office_arg(self, raw: str) -> None:
        """The 发布机关 asked for by its URL code; an unknown or malformed code is noted, never looked up."""
        code = raw.strip()
        if not code:
            return
        shown = "".join(ch for ch in code if ch.isprintable())[:20]
        if self.scope is not None:
            if code.lower() != self.scope.code:
                self.office_problem = f"这里只有{self.scope.name}的信息，不能按其他发布机关“{shown}”筛选"
        else:
            self.office = Office.by_code(code) if CODE.match(code.lower()) else None
            if self.office is None:
                self.office_problem = f"发布机关代码“{shown}”不存在"
        if self.office_problem:
            self.notices.append(f"{self.office_problem}，已忽略。")

    @property
    def office_id(self) -> int | None:
        """The office whose entries are listed (its own pages, or the one chosen), None for every office's."""
        office = self.scope or self.office
        return office.id if office is not None else None

    def statement(self) -> Select:
        """The SELECT for published entries matching these filters, newest first."""
        stmt = select(Document).where(Document.status == "published")
        if self.office_id is not None:
            stmt = stmt.where(Document.office_id == self.office_id)
        if self.category:
            if "\\" in self.category:
                stmt = stmt.where(Document.category == self.category)
            else:
                stmt = stmt.where(
                    (Document.category == self.category)
                    | Document.category.startswith(self.category + "\\", autoescape=True)
                )
        if self.doc_type:
            stmt = stmt.where(Document.doc_type == self.doc_type)
        if self.publisher:
            stmt = stmt.where(Document.publisher == self.publisher)
        if self.year:
            stmt = stmt.where(
                Document.published_date >= date(self.year, 1, 1),
                Document.published_date <= date(self.year, 12, 31),
            )
        if self.validity:
            stmt = stmt.where(Document.validity == self.validity)
        column = Document.written_date if self.sort == "written" else Document.published_date
        return stmt.order_by(column.desc().nulls_last(), Document.id.desc())

    def args(self, **changes) -> dict:
        """Query-string arguments for a link that keeps these filters but changes some."""
        values = {
            "office": self.office.code if self.office else "", "category": self.category, "doc_type": self.doc_type, "publisher": self.publisher,
            "year": self.year or "", "validity": self.validity,
            "sort": self.sort if self.sort != "published" else "", "page": self.page if self.page > 1 else "",
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None)}

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list."""
        return bool(self.office or self.category or self.doc_type or self.publisher or self.year or self.validity)

    @property
    def chosen(self) -> int:
        """How many of the form's controls differ from their default: the 筛选 disclosure opens when any does."""
        values = (self.office, self.category, self.doc_type, self.publisher, self.year, self.validity, self.sort != "published")
        return sum(1 for v in values if v)


def _printable(args, notices: list[str]) -> dict:
    """The arguments without any value holding control characters (a NUL cannot reach PostgreSQL)."""
    clean = {}
    for name in args:
        value = args.get(name, "")
        if all(ch.isprintable() for ch in value):
            clean[name] = value
        else:
            notices.append("筛选条件中含有无法处理的字符，已忽略。")
    return clean


def _int_arg(args, name: str, low: int, high: int, label: str, notices: list[str]) -> int | None:
    """An integer argument (ASCII digits) within bounds, or None with a notice."""
    raw = args.get(name, "").strip()
    if not raw:
        return None
    value = parse_int(raw, low, high)
    if value is None:
        notices.append(f"{label}“{raw[:10]}”无效（应为 {low}—{high} 之间的半角数字），已忽略。")
    return value

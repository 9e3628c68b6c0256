"""Checking an entry's fields, shared by the importer and (later) the staff forms."""
from dataclasses import dataclass, field
from datetime import date

from ..core.numbers import normalize_doc_number
from ..models import TIMELINESS, VALIDITIES
from .themes import DOC_TYPES, is_valid_category, normalize_category

# Field name → Chinese label, in the order errors and forms show them.
LABELS = {
    "title": "名称",
    "doc_number": "发文字号",
    "publisher": "发布机构",
    "written_date": "成文日期",
    "published_date": "发布日期",
    "category": "主题分类",
    "doc_type": "公文种类",
    "validity": "有效性",
    "repealed_date": "废止日期",
    "summary": "内容概述",
    "body": "正文",
    "keywords": "关键词",
    "index_number": "索引号",
    "disclosure_method": "公开方式",
    "disclosure_scope": "公开范围",
    "timeliness": "时效",
    "attachments": "附件",
}
# Excel users often keep Chinese column headings: accept them as aliases.
ALIASES = {label: name for name, label in LABELS.items()} | {"标题": "title", "文号": "doc_number"}
REQUIRED = ("title", "publisher", "published_date")
MAX_LENGTHS = {"title": 300, "doc_number": 64, "publisher": 100, "keywords": 300, "index_number": 64}


@dataclass
class Checked:
    """The cleaned values of one entry and the problems found, as (field, reason) pairs."""

    values: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)


def parse_date(text: str) -> date:
    """Parse YYYY-MM-DD (also YYYY/MM/DD, which Excel writes); raise ValueError in Chinese."""
    cleaned = text.strip().replace("/", "-")
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"日期“{text}”无效，应为 YYYY-MM-DD 格式的真实日期") from None


def check_fields(raw: dict) -> Checked:
    """Clean and check one entry's fields; collect every problem rather than stopping at the first."""
    result = Checked()
    data = {ALIASES.get(k.strip(), k.strip()): v for k, v in raw.items() if k}

    def text(name: str) -> str:
        value = data.get(name)
        return "" if value is None else str(value).strip()

    for name in LABELS:
        if name in ("attachments",):
            continue
        value = text(name)
        if name in REQUIRED and not value:
            result.errors.append((name, "不能为空"))
            continue
        if name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
            result.errors.append((name, f"不能超过 {MAX_LENGTHS[name]} 个字"))
            continue
        if name.endswith("_date"):
            if value:
                try:
                    result.values[name] = parse_date(value)
                except ValueError as exc:
                    result.errors.append((name, str(exc)))
            else:
                result.values[name] = None
            continue
        result.values[name] = value

    values = result.values
    values["doc_number"] = normalize_doc_number(values.get("doc_number"))
    if values.get("category"):
        values["category"] = normalize_category(values["category"])
        if not is_valid_category(values["category"]):
            result.errors.append(("category", f"“{values['category']}”不在主题分类目录中"))
    if values.get("doc_type") and values["doc_type"] not in DOC_TYPES:
        result.errors.append(("doc_type", f"“{values['doc_type']}”不是规定的公文种类"))
    validity = values.get("validity") or "有效"
    values["validity"] = validity
    if validity not in VALIDITIES:
        result.errors.append(("validity", "应为“有效”“失效”或“废止”"))
    if validity == "废止" and "repealed_date" in values and not values.get("repealed_date"):
        result.errors.append(("repealed_date", "已废止的文件须填写废止日期"))
    if values.get("timeliness") and values["timeliness"] not in TIMELINESS:
        result.errors.append(("timeliness", "应为“常年公开”“及时公开”或“限时公开”"))
    written, published = values.get("written_date"), values.get("published_date")
    if written and published and written > published:
        result.errors.append(("published_date", "发布日期不能早于成文日期"))
    for name in ("disclosure_method", "disclosure_scope", "timeliness"):
        if not values.get(name):
            values.pop(name, None)  # let the model default apply
    return result


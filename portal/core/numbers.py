"""Document numbers: 发文字号 normalisation and 索引号 generation."""
import re
import unicodedata

# 机关代字 + year in any bracket + optional 第 + serial (leading zeros allowed) + 号. ASCII digits (NFKC has
# made full-width ones ASCII) and a bounded serial: int() takes "٣" and refuses more than 4,300 digits.
_DOC_NUMBER = re.compile(
    r"^\s*(?P<prefix>[^\s\[\]【】〔〕（）()［］]+?)\s*"
    r"[\[【〔（(［](?P<year>[0-9]{4})[\]】〕）)］]\s*"
    r"第?\s*(?P<serial>[0-9]{1,12})\s*号?\s*$"
)


def normalize_doc_number(value: str | None) -> str:
    """Return a 发文字号 in the standard form 石办〔2020〕34号; other text is returned trimmed.

    Accepts the usual mistypings: [2020], 【2020】, (2020), full-width digits, 第034号.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value).strip()
    text = text.replace("〔", "〔").replace("〕", "〕")
    match = _DOC_NUMBER.match(text)
    if not match:
        return re.sub(r"\s+", "", text)
    return f"{match['prefix']}〔{match['year']}〕{int(match['serial'])}号"


def looks_like_doc_number(value: str) -> bool:
    """Whether a search query is a whole 发文字号 (then it should find that entry first)."""
    return bool(_DOC_NUMBER.match(unicodedata.normalize("NFKC", value or "")))


_INDEX_NUMBER = re.compile(r"^[0-9A-Z]{9}(?:[0-9A-Z]{9})?/\d{4}-\d+$")


def looks_like_index_number(value: str) -> bool:
    """Whether a query has the shape of a 索引号 such as 000014349/2017-00110."""
    return bool(_INDEX_NUMBER.match((value or "").strip().upper()))


def format_index_number(pattern: str, *, org_code: str, year: int, seq: int) -> str:
    """Fill the office's 索引号 pattern, e.g. {org_code}/{year}-{seq:05d}."""
    return pattern.format(org_code=org_code, year=year, seq=seq)

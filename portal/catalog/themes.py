"""The 主题分类 theme tree and the 公文种类 list (data copied from the national policy-document library)."""
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "主题分类.md"
DOC_TYPES = ("决议", "决定", "命令（令）", "公报", "公告", "通告", "意见", "通知", "通报",
             "报告", "请示", "批复", "议案", "函", "纪要", "其他")


@lru_cache(maxsize=1)
def theme_tree() -> dict[str, tuple[str, ...]]:
    """Top-level class → its sub-classes, read from the bundled 主题分类.md."""
    tree: dict[str, tuple[str, ...]] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^- (?P<top>[^(（]+?)(?:\((?P<subs>.*)\))?\s*$", line)
        if match:
            subs = match["subs"].split("/") if match["subs"] else []
            tree[match["top"].strip()] = tuple(s.strip() for s in subs)
    return tree


def is_valid_category(value: str) -> bool:
    """Whether a value is a top class or a 顶级\\子类 path of the tree."""
    top, _, sub = value.partition("\\")
    tree = theme_tree()
    if top not in tree:
        return False
    return not sub or sub in tree[top]


def normalize_category(value: str) -> str:
    """Accept 顶级/子类, 顶级＼子类 and 顶级 > 子类 as spellings of 顶级\\子类."""
    text = (value or "").strip()
    for sep in ("＼", " > ", ">", "/"):
        if sep in text and "\\" not in text:
            top, _, sub = text.partition(sep)
            # "/" also appears inside some sub-class names; only split when the top class is real.
            if top.strip() in theme_tree():
                text = f"{top.strip()}\\{sub.strip()}"
            break
    return text

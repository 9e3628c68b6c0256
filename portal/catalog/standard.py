"""基层政务公开标准目录 (国办发〔2019〕54号 asks each 基层 office to publish one): its rows, kept in order by
the 管理员; every change one transaction with its audit row."""
from __future__ import annotations

from sqlalchemy import func, select

from ..core import audit
from ..core.db import transaction
from ..extensions import db
from ..models import STANDARD_COLUMNS, Office, StandardCatalogItem

audit.label_actions({"standard_item_add": "添加标准目录事项", "standard_item_update": "修改标准目录事项",
                     "standard_item_delete": "删除标准目录事项", "standard_item_move": "调整标准目录顺序"},
                    {"standard_item": "基层政务公开标准目录"})

DEMO_ROWS = (
    {"matter": "政策文件", "content": "本机关制定的规范性文件、其他政策文件及其解读",
     "basis": "《中华人民共和国政府信息公开条例》第十九条、第二十条", "time_limit": "自形成或者变更之日起20个工作日内",
     "subject": "街道党政办公室", "channel": "政府网站（本门户）、政务公开栏", "audience": "全社会", "method": "主动公开"},
    {"matter": "社会救助", "content": "最低生活保障、特困人员救助供养的政策、申请条件、办理流程和审批结果",
     "basis": "《社会救助暂行办法》", "time_limit": "信息形成或变更之日起20个工作日内；审批结果按月公示",
     "subject": "街道社区事务受理服务中心", "channel": "政府网站、社区公示栏、受理服务窗口", "audience": "特定群体",
     "method": "主动公开"},
    {"matter": "财政预决算", "content": "本机关部门预算、决算及“三公”经费说明",
     "basis": "《中华人民共和国预算法》第十四条", "time_limit": "批复后20日内", "subject": "街道财务部门",
     "channel": "政府网站（本门户）", "audience": "全社会", "method": "主动公开"},
)


def _fields(data: dict) -> dict:
    """The row's eight cells from a form's data, stripped."""
    return {name: (data.get(name) or "").strip() for name in STANDARD_COLUMNS}


def add_item(data: dict) -> StandardCatalogItem:
    """Append a row at the end of the table, audited."""
    with transaction():
        office_id = Office.current().id
        last = db.session.scalar(select(func.max(StandardCatalogItem.position))
                                 .where(StandardCatalogItem.office_id == office_id)) or 0
        item = StandardCatalogItem(office_id=office_id, position=last + 1, **_fields(data))
        db.session.add(item)
        db.session.flush()
        audit.record("standard_item_add", "standard_item", item.id, f"添加标准目录事项：{item.matter}",
                     after=audit.snapshot(item, STANDARD_COLUMNS))
    return item


def update_item(item: StandardCatalogItem, data: dict) -> list[str]:
    """Change a row's cells, audited; the headings of what changed."""
    with transaction():
        before = audit.snapshot(item, STANDARD_COLUMNS)
        for name, value in _fields(data).items():
            setattr(item, name, value)
        old, new = audit.changes(before, audit.snapshot(item, STANDARD_COLUMNS))
        if new:
            audit.record("standard_item_update", "standard_item", item.id, f"修改标准目录事项：{item.matter}",
                         before=old, after=new)
    return [STANDARD_COLUMNS[name] for name in STANDARD_COLUMNS if name in new]


def delete_item(item: StandardCatalogItem) -> None:
    """Remove a row, audited; the rows after it move up."""
    with transaction():
        audit.record("standard_item_delete", "standard_item", item.id, f"删除标准目录事项：{item.matter}",
                     before=audit.snapshot(item, STANDARD_COLUMNS))
        db.session.delete(item)
        db.session.flush()
        _renumber(StandardCatalogItem.ordered())


def move_item(item: StandardCatalogItem, step: int) -> bool:
    """Move a row one place up (step -1) or down (+1), audited; False when it is already at that end."""
    with transaction():
        rows = StandardCatalogItem.ordered()
        at = rows.index(item)
        to = at + step
        if step not in (-1, 1) or not 0 <= to < len(rows):
            return False
        rows[at], rows[to] = rows[to], rows[at]
        _renumber(rows)
        audit.record("standard_item_move", "standard_item", item.id,
                     f"标准目录事项“{item.matter}”{'上移' if step < 0 else '下移'}至第 {to + 1} 项")
    return True


def _renumber(rows: list[StandardCatalogItem]) -> None:
    """Positions 1, 2, 3… in the given order."""
    for number, row in enumerate(rows, start=1):
        row.position = number


def load_demo_rows() -> str:
    """Demo rows for the current office's empty table (portal.admin.demo); what was done, in Chinese."""
    if db.session.scalar(select(func.count()).select_from(StandardCatalogItem)
                         .where(StandardCatalogItem.office_id == Office.current().id)):
        return "基层政务公开标准目录已有内容，不再载入演示事项。"
    for row in DEMO_ROWS:
        add_item(row)
    return f"已载入演示内容：基层政务公开标准目录 {len(DEMO_ROWS)} 项。"

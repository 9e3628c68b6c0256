"""Adding and changing the portal's offices (the 区级管理员's work); every change one audited transaction.

An office's own settings (address, hours, letters' texts …) stay with its 管理员 (portal.admin.settings);
here are what makes an office distinct in the portal: its name, URL code, number prefixes and 索引号 code.
"""
from __future__ import annotations

import re

from sqlalchemy import func, select

from ..core import audit
from ..core.db import transaction
from ..extensions import db
from ..models import DEFAULT_OFFICE, Document, InfoRequest, Letter, Office

# What the 区级管理员 sets for each office; the rest starts from the defaults and is the office's own.
FIELDS = {
    "name": "机关名称", "short_name": "简称", "code": "网址代码", "number_prefix": "申请编号前缀",
    "org_code": "机构代码", "letter_prefix": "文书编号前缀", "description": "掌握的信息（受理机关说明）",
    "search_hint": "检索提示", "position": "排列顺序",
}
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,19}$")  # an office's URL code, also the /o/<code>/ of its pages
# What only the office itself can say: shown as 尚未填写 on its guide until its 管理员 saves its settings.
OWN_CONTACT = ("address", "postcode", "hours", "phone", "email")
NOT_SET = "（尚未填写）"
# The longest column compared below (the name); a longer value is refused by its field, and SQLite refuses
# LIKE patterns past 50,000 bytes.
VALUE_MAX = 100
NUMBER_PREFIX = re.compile(r"^[A-Z0-9]{1,6}$")
ORG_CODE = re.compile(r"^[0-9A-Z]{9}(?:[0-9A-Z]{9})?$")

audit.label_actions({"office_create": "新增机关", "office_edit": "修改机关"}, {"office": "机关设置"})


class OfficeProblem(ValueError):
    """Why an office's values are refused: {field: message in Chinese}."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("；".join(problems.values()))
        self.problems = problems


def _cleaned(data: dict) -> dict:
    """The given fields, trimmed; codes in their canonical case."""
    values = {name: (data[name].strip() if isinstance(data[name], str) else data[name])
              for name in FIELDS if name in data and data[name] is not None}
    if "code" in values:
        values["code"] = values["code"].lower()
    for name in ("number_prefix", "org_code"):
        if name in values:
            values[name] = values[name].upper()
    return values


def problems(values: dict, office: Office | None = None) -> dict[str, str]:
    """What is wrong with an office's values, by field (empty when they can be saved)."""
    found = {}
    if "name" in values and not values["name"]:
        found["name"] = "请填写机关名称"
    if "code" in values and not CODE.match(values["code"]):
        found["code"] = "网址代码只能由小写字母、数字和连字符组成（最多 20 个字符），例如 wanzhen"
    if values.get("number_prefix") and not NUMBER_PREFIX.match(values["number_prefix"]):
        found["number_prefix"] = "申请编号前缀只能由大写字母和数字组成（最多 6 个字符），例如 WZ"
    if "org_code" in values and not ORG_CODE.match(values["org_code"]):
        found["org_code"] = "机构代码应为 9 位组织机构代码或 18 位统一社会信用代码（字母大写）"
    if "letter_prefix" in values and not values["letter_prefix"]:
        found["letter_prefix"] = "请填写文书编号前缀，例如 万信公"
    return found | taken({k: v for k, v in values.items() if k not in found}, office)


def taken(values: dict, office: Office | None = None) -> dict[str, str]:
    """Which of the values another office holds now, or numbers already issued carry (a prefix or 机构代码 an
    office gave up stays spent: a new holder's sequence would start again at 1 and repeat those numbers)."""
    found = {}
    for name, label in (("name", "机关名称"), ("code", "网址代码"), ("number_prefix", "申请编号前缀"),
                        ("org_code", "机构代码"), ("letter_prefix", "文书编号前缀")):
        if name not in values:
            continue
        value = values[name]
        if len(value) > VALUE_MAX:
            continue  # longer than any office column: the field's own length check refuses it
        if name == "number_prefix" and not value and (office is None or office.number_prefix):
            found[name] = "请填写申请编号前缀：只有第一个机关的申请编号不带前缀"
            continue
        held = select(Office.id).where(func.lower(getattr(Office, name)) == value.lower())
        if office is not None and office.id is not None:
            held = held.where(Office.id != office.id)
        if db.session.scalar(held.limit(1)) is not None:
            found[name] = f"{label}“{value}”已被另一机关使用，各机关的{label}不能相同"
        elif value and value != getattr(office, name, None) and _issued_with(name, value, office):
            found[name] = f"已有编号使用过{label}“{value}”，再用会与这些编号重复，请另选一个"
    return found


def _issued_with(name: str, value: str, office: Office | None) -> bool:
    """Whether numbers already issued carry this prefix or code (for another office's 索引号: only theirs)."""
    if name == "number_prefix":
        issued = select(InfoRequest.id).where(InfoRequest.tracking_number.startswith(f"{value}-", autoescape=True))
    elif name == "letter_prefix":
        issued = select(Letter.id).where(Letter.number.startswith(f"{value}〔", autoescape=True))
    elif name == "org_code":
        issued = select(Document.id).where(Document.index_number.startswith(value, autoescape=True))
        if office is not None and office.id is not None:
            issued = issued.where(Document.office_id != office.id)
    else:
        return False
    return db.session.scalar(issued.limit(1)) is not None


def create_office(data: dict, *, actor=None) -> Office:
    """Add an office: the given fields, the district's shared settings taken from the first office (复议机关,
    投诉举报, remedy and fee texts, limits), and its own contact details left for its 管理员 (never another
    office's address or phone); OfficeProblem if refused."""
    first = Office.first()  # exists before the second office, and keeps the unprefixed numbers
    values = _cleaned(data)
    values.setdefault("short_name", values.get("name", ""))
    missing = {name: f"请填写{FIELDS[name]}" for name in ("name", "code", "number_prefix", "org_code",
                                                          "letter_prefix") if not values.get(name)}
    found = missing | problems({k: v for k, v in values.items() if k not in missing})
    if found:
        raise OfficeProblem(found)
    shared = {k: getattr(first, k) for k in DEFAULT_OFFICE if k not in FIELDS and k not in OWN_CONTACT}
    defaults = shared | {k: NOT_SET for k in OWN_CONTACT} | {"disclosure_office": values.get("name", "")}
    with transaction():
        office = Office(**(defaults | values))  # the id sequence is past the first office (advance_office_ids)
        db.session.add(office)
        db.session.flush()
        audit.record("office_create", "office", office.id, f"新增机关“{office.name}”（{office.code}）",
                     after=audit.snapshot(office, FIELDS), actor=actor)
    return office


def edit_office(office: Office, data: dict, *, actor=None) -> list[str]:
    """Change what makes an office distinct; the labels of what changed (OfficeProblem if refused)."""
    values = _cleaned(data)
    found = problems(values, office)
    if found:
        raise OfficeProblem(found)
    before = audit.snapshot(office, FIELDS)
    with transaction():
        for name, value in values.items():
            setattr(office, name, value)
        old, new = audit.changes(before, audit.snapshot(office, FIELDS))
        labels = [FIELDS[name] for name in FIELDS if name in new]
        if labels:
            audit.record("office_edit", "office", office.id, f"修改机关“{office.name}”：{'、'.join(labels)}",
                         before=old, after=new, actor=actor)
    return labels

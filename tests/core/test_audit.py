"""The audit log: who, when, what, before/after; entries are never changed or deleted."""
import json
from datetime import date, datetime, timezone

import pytest
from flask_login import login_user
from sqlalchemy import delete, select, update

from portal.core import audit
from portal.extensions import db
from portal.models.staff import ADMIN, EDITOR, HEAD, AuditEntry, AuditLogIsAppendOnly, User
from tests.factories.staff import login, make_user


def one_entry() -> AuditEntry:
    """Write and commit a single entry."""
    entry = audit.record("test", "thing", 7, "测试", before={"a": 1}, after={"a": 2})
    db.session.commit()
    return entry


def test_an_entry_cannot_be_changed(ctx):
    entry = one_entry()
    entry.summary = "改过了"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.summary)) == "测试"


def test_an_entry_cannot_be_deleted(ctx):
    entry = one_entry()
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.id)) == entry.id


def test_bulk_update_and_delete_are_refused_too(ctx):
    one_entry()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(update(AuditEntry).values(summary="x"))
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.summary)) == "测试"


def test_record_joins_the_callers_transaction(ctx):
    audit.record("test", "thing", 1, "未提交")
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry)) is None


def test_before_and_after_are_readable_json(ctx):
    entry = one_entry()
    assert audit.loads(entry.before) == {"a": 1} and audit.loads(entry.after) == {"a": 2}
    entry = audit.record("test", "thing", 1, "中文", after={"名称": "石泉路街道", "日期": date(2026, 10, 8)})
    db.session.commit()
    assert "石泉路街道" in entry.after and json.loads(entry.after)["日期"] == "2026-10-08"


def test_record_reads_the_signed_in_user_and_address(app):
    with app.app_context():
        make_user("lihua", EDITOR, display_name="李华")
        user = db.session.scalar(select(User))
        with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.7"}):
            login_user(user)
            entry = audit.record("test", "thing", 1, "测试")
        db.session.commit()
        assert (entry.actor_id, entry.actor_name, entry.ip) == (user.id, "李华", "192.0.2.7")


def test_record_outside_a_request_names_the_system_or_the_given_actor(ctx):
    assert audit.record("test", "thing", 1, "x").actor_name == "系统"
    assert audit.record("test", "thing", 1, "x", actor="命令行").actor_name == "命令行"


def test_snapshot_and_changes_keep_only_what_differs(ctx):
    class Thing:
        name, day, at, tags = "甲", date(2026, 1, 2), datetime(2026, 1, 2, 1, 0, tzinfo=timezone.utc), {"b", "a"}

    snap = audit.snapshot(Thing, ["name", "day", "at", "tags"])
    assert snap == {"name": "甲", "day": "2026-01-02", "at": "2026-01-02T09:00:00+08:00", "tags": ["a", "b"]}
    assert audit.changes(snap, snap | {"name": "乙"}) == ({"name": "甲"}, {"name": "乙"})


def test_history_lists_an_objects_entries_in_order(ctx):
    for n in range(3):
        audit.record("test", "thing", 5, f"第{n}次")
    audit.record("test", "thing", 6, "别的")
    db.session.commit()
    assert [e.summary for e in audit.history("thing", 5)] == ["第0次", "第1次", "第2次"]


def test_staff_search_the_audit_log_by_word_action_and_date(app, staff):
    staff("boss", ADMIN, display_name="王主任")
    staff("chief", HEAD)
    with app.app_context():
        audit.record("office_update", "office", 1, "修改机关设置：咨询电话",
                     before={"phone": "021-1"}, after={"phone": "021-2"}, actor="王主任")
        audit.record("calendar_day", "calendar_day", "2026-12-01", "工作日历：2026-12-01 改为放假", actor="王主任")
        db.session.commit()
    client = app.test_client()
    login(client, "chief")
    html = client.get("/admin/audit?q=咨询电话").get_data(as_text=True)
    assert "修改机关设置：咨询电话" in html and "2026-12-01 改为放假" not in html
    assert "<th scope=\"row\">phone</th><td>021-1</td><td>021-2</td>" in html
    html = client.get("/admin/audit?action=calendar_day").get_data(as_text=True)
    assert "2026-12-01 改为放假" in html and "咨询电话" not in html
    assert "共 0 条" in client.get("/admin/audit?to=2000-01-01").get_data(as_text=True)
    fragment = client.get("/admin/audit?q=放假", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "改为放假" in fragment


def test_the_audit_page_offers_no_way_to_change_entries(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == "admin.audit_log"]
    assert [sorted(r.methods - {"HEAD", "OPTIONS"}) for r in rules] == [["GET"]]


def test_every_action_the_portal_audits_has_a_chinese_label():
    """The 操作日志 must never show a raw action code to staff."""
    import re
    from pathlib import Path

    from portal.core.audit import ACTION_LABELS, OBJECT_LABELS

    source = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parents[2] / "portal").rglob("*.py"))
    actions = set(re.findall(r'\bs\.audit\(\s*"([a-z_]+)"', source))  # the steps of info_requests
    actions |= set(re.findall(r'log_access\([^)]*"([a-z_]+)"', source))
    actions |= {f"document_{a}" for a in re.findall(r'_record\(doc, user, "([a-z_]+)"', source)}
    actions |= set(re.findall(r'audit\.record\(\s*"([a-z_]+)"', source))
    assert {"register_request", "reply", "document_publish", "login"} <= actions  # the patterns still find them
    assert actions and not actions - set(ACTION_LABELS), sorted(actions - set(ACTION_LABELS))
    assert {"info_request", "document", "annual_report", "review_case"} <= set(OBJECT_LABELS)

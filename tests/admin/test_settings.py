"""Office settings: validated, kept as typed on error, every change audited with before/after."""
import pytest
from sqlalchemy import select

from portal.admin.forms import OfficeForm, check_org_code
from portal.admin.settings import update_office
from portal.extensions import db
from portal.models import DEFAULT_OFFICE, Office
from portal.models.staff import AuditEntry
from tests.factories.people import uscc
from tests.factories.staff import not_test_setup


def form_data(**changes) -> dict:
    """The defaults as a browser would post them, with some fields changed."""
    return DEFAULT_OFFICE | changes


def test_settings_page_shows_the_current_values_with_labels(admin_client):
    page = admin_client.get("/admin/settings").get_data(as_text=True)
    assert '<label for="org_code">机构代码</label>' in page
    assert 'value="000014349"' in page and "上海市普陀区人民政府" in page


def test_saving_changes_the_office_and_audits_only_what_changed(admin_client, app):
    response = admin_client.post("/admin/settings", data=form_data(phone="021-62540000", letter_prefix="石街信"))
    assert response.status_code == 302
    assert "已保存：咨询电话、文书编号前缀" in admin_client.get("/admin/settings").get_data(as_text=True)
    with app.app_context():
        office = Office.current()
        assert (office.phone, office.letter_prefix, office.name) == ("021-62540000", "石街信", DEFAULT_OFFICE["name"])
        entry = db.session.scalar(select(AuditEntry).filter_by(action="office_update"))
        assert entry.actor_name == "王主任" and entry.summary == "修改机关设置：咨询电话、文书编号前缀"
        assert '"phone": "021-00000000（示例电话）"' in entry.before and '"letter_prefix": "石街信"' in entry.after
        assert "address" not in entry.after


def test_saving_without_changes_writes_no_audit_entry(admin_client, app):
    admin_client.post("/admin/settings", data=form_data())
    admin_client.post("/admin/settings", data=form_data())
    assert "没有修改" in admin_client.get("/admin/settings").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.action).where(not_test_setup())).all() == ["login"]


def test_errors_are_shown_in_chinese_next_to_fields_and_typed_values_are_kept(admin_client, app):
    page = admin_client.post("/admin/settings", data=form_data(
        org_code="000014348", postcode="20006", index_pattern="{org_code}-{seq}", phone="021-99999999"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "还不能保存" in html
    assert "组织机构代码校验位不符" in html and "邮政编码应为6位数字" in html
    assert "索引号格式必须包含 {year} 和 {seq}" in html
    assert 'value="021-99999999"' in html and 'value="000014348"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="org_code-hint org_code-error"' in html
    with app.app_context():
        assert Office.current().phone == DEFAULT_OFFICE["phone"]


@pytest.mark.parametrize("field, raw, message", [
    ("art26_workdays", "²", "请填写1至20之间的整数"), ("art26_workdays", "①", "请填写1至20之间的整数"),
    ("art26_workdays", "１５", "请填写1至20之间的整数"), ("art26_workdays", str(10**30), "请填写1至20之间的整数"),
    ("art26_workdays", "21", "请填写1至20之间的整数"), ("correction_min_workdays", "٥", "请填写1至30之间的整数"),
    ("correction_min_workdays", "5.0", "请填写1至30之间的整数"),
])
def test_a_number_of_working_days_not_in_ascii_digits_or_out_of_range_is_refused_in_chinese(admin_client, app, field,
                                                                                            raw, message):
    response = admin_client.post("/admin/settings", data=form_data(**{field: raw}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "还不能保存" in html and message in html
    assert f'value="{raw}"' in html  # kept as typed
    with app.app_context():
        assert getattr(Office.current(), field) == DEFAULT_OFFICE[field]


def test_a_number_of_working_days_in_ascii_digits_is_saved(admin_client, app):
    response = admin_client.post("/admin/settings", data=form_data(art26_workdays=" 15 ", correction_min_workdays="7"))
    assert response.status_code == 302
    with app.app_context():
        assert (Office.current().art26_workdays, Office.current().correction_min_workdays) == (15, 7)


@pytest.mark.parametrize("code, ok", [
    ("000014349", True), ("00001434-9", True), ("000014348", False), ("12345", False),
    (uscc(), True), (uscc()[:-1] + ("0" if uscc()[-1] != "0" else "1"), False),
])
def test_org_code_is_a_9_character_code_or_an_18_character_uscc(code, ok):
    if ok:
        assert check_org_code(code) == code.replace("-", "")
    else:
        with pytest.raises(ValueError):
            check_org_code(code)


@pytest.mark.parametrize("pattern, error", [
    ("{org_code}/{year}-{seq:05d}", None),
    ("{year}{seq:04d}", None),
    ("{org_code}/{year}", "必须包含 {year} 和 {seq}"),
    ("{org_code}/{year}-{seq:05d}{unknown}", "索引号格式无效"),
    ("{org_code}/{year}-{seq:05x", "索引号格式无效"),
    ("{year}-{seq:070d}", "超过64个字符"),
])
def test_index_pattern_must_format_with_year_and_serial(app, pattern, error):
    with app.test_request_context(method="POST", data=form_data(index_pattern=pattern)):
        form = OfficeForm()
        form.validate()
        if error is None:
            assert not form.index_pattern.errors
        else:
            assert any(error in e for e in form.index_pattern.errors)


def test_update_office_is_one_transaction_with_its_audit_row(ctx):
    assert update_office({"hours": "周一至周五 9:00—17:00"}) == ["办公时间"]
    db.session.rollback()
    assert Office.current().hours == "周一至周五 9:00—17:00"
    assert db.session.scalar(select(AuditEntry.object_type)) == "office"

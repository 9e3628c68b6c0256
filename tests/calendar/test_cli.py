"""The stored calendar and its commands (invoked directly: the factory registers them separately)."""
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.calendar.cli import CALENDAR_COMMANDS, calendar_group, workdays_group
from portal.calendar.store import (
    CalendarImportError,
    ensure_seeded,
    import_year,
    load_calendar,
    seed_from_chinesecalendar,
    show_year,
)
from portal.extensions import db
from portal.models import CalendarDay, CalendarYear

# A made-up 2027 schedule in the notice's shape (not an official one), with every statutory weekday.
SCHEDULE_2027 = """# 2027年节假日安排（测试用，非官方）
2027-01-01~2027-01-03,休,元旦
2027-02-05至2027-02-11,休,春节
2027-02-20，班，春节调休上班
2027-04-03~2027-04-05,休,清明节
2027-05-01~2027-05-05,休,劳动节
2027-06-09,休,端午节
2027-09-15,休,中秋节
2027-10-01~2027-10-07,休,国庆节
2027-10-09,班,国庆节调休上班
"""


@pytest.fixture
def schedule_file(tmp_path):
    """The 2027 schedule saved as UTF-8 with a BOM, as Excel writes it."""
    path = tmp_path / "2027.csv"
    path.write_bytes(SCHEDULE_2027.encode("utf-8-sig"))
    return path


def test_commands_are_exposed_for_the_factory():
    assert CALENDAR_COMMANDS == [calendar_group, workdays_group]
    assert calendar_group.name == "calendar" and workdays_group.name == "workdays"


def test_workdays_after_counts_mid_autumn_national_day_and_the_make_up_saturday(app):
    result = app.test_cli_runner().invoke(workdays_group, ["after", "2026-09-24", "20"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "2026-10-29"


def test_first_use_seeds_the_calendar_from_chinesecalendar(app):
    app.test_cli_runner().invoke(workdays_group, ["after", "2026-01-05", "1"])
    with app.app_context():
        assert db.session.get(CalendarYear, 2026).source == "chinesecalendar"
        assert db.session.get(CalendarDay, date(2026, 10, 10)).is_workday


def test_workdays_after_into_an_unknown_year_fails_and_names_the_year(app):
    result = app.test_cli_runner().invoke(workdays_group, ["after", "2026-12-24", "6"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "2027年的节假日安排尚未载入" in result.stderr and "2027-01-04" in result.stderr


def test_workdays_after_rejects_a_malformed_date_in_chinese(app):
    result = app.test_cli_runner().invoke(workdays_group, ["after", "2026/09/24", "20"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_workdays_between_counts_working_days_after_the_start(app):
    result = app.test_cli_runner().invoke(workdays_group, ["between", "2026-09-24", "2026-10-29"])
    assert result.stdout.strip() == "20"


def test_import_makes_the_next_year_known(app, schedule_file):
    runner = app.test_cli_runner()
    result = runner.invoke(calendar_group, ["import", str(schedule_file)])
    assert result.exit_code == 0, result.output
    assert "已导入2027年的安排" in result.stdout
    after = runner.invoke(workdays_group, ["after", "2026-12-24", "6"])
    assert after.exit_code == 0 and after.stdout.strip() == "2027-01-04"
    # 10-08 (1), Sat 10-09 worked (2), 10-11 (3)
    assert runner.invoke(workdays_group, ["after", "2027-09-30", "3"]).stdout.strip() == "2027-10-11"


def test_import_of_a_loaded_year_needs_replace(app, schedule_file):
    runner = app.test_cli_runner()
    runner.invoke(calendar_group, ["import", str(schedule_file)])
    again = runner.invoke(calendar_group, ["import", str(schedule_file)])
    assert again.exit_code == 1 and "--replace" in again.stderr
    replaced = runner.invoke(calendar_group, ["import", "--replace", str(schedule_file)])
    assert replaced.exit_code == 0 and "已替换" in replaced.stdout


def test_bad_import_reports_line_numbers_and_changes_nothing(app, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("2027-01-01,休,元旦\n2027-02-30,休,春节\n2027-01-04,班,周一\n2028-01-01,休\n", "utf-8")
    result = app.test_cli_runner().invoke(calendar_group, ["import", str(path)])
    assert result.exit_code == 1
    assert "未做任何修改" in result.stderr
    assert "第2行" in result.stderr and "第3行" in result.stderr and "第4行" in result.stderr
    with app.app_context():
        assert db.session.get(CalendarYear, 2027) is None
        assert not db.session.scalar(select(func.count()).select_from(CalendarDay)
                                     .where(CalendarDay.day >= date(2027, 1, 1)))


def test_import_without_a_statutory_holiday_is_refused(ctx):
    with pytest.raises(CalendarImportError) as caught:
        import_year(SCHEDULE_2027.replace("2027-06-09,休,端午节\n", "").encode())
    assert caught.value.errors == ["缺少法定节假日：2027-06-09（周三，端午节）应列为“休”"]


def test_import_rejects_text_that_is_not_utf8(ctx):
    with pytest.raises(CalendarImportError, match="UTF-8"):
        import_year(SCHEDULE_2027.encode("gbk"))


def test_import_accepts_utf8_without_bom_and_replaces_a_seeded_year(ctx):
    seed_from_chinesecalendar([2026])
    lines = SCHEDULE_2027.replace("2027", "2026").replace("2026-06-09", "2026-06-19")
    lines = lines.replace("2026-02-05至2026-02-11", "2026-02-15至2026-02-23").replace("2026-09-15", "2026-09-25")
    lines = lines.replace("2026-02-20，班", "2026-02-14，班").replace("2026-10-09,班", "2026-10-10,班")
    summary = import_year(lines.encode("utf-8"), replace=True)
    assert summary.year == 2026 and summary.replaced
    assert db.session.get(CalendarYear, 2026).source == "导入"


def test_seeding_is_idempotent_and_never_overwrites_an_imported_year(ctx, schedule_file):
    assert 2026 in ensure_seeded()
    assert ensure_seeded() == []
    import_year(schedule_file)
    assert seed_from_chinesecalendar() == []
    assert db.session.get(CalendarYear, 2027).source == "导入"


def test_loaded_calendar_matches_the_2026_notice(ctx):
    ensure_seeded()
    cal = load_calendar()
    assert 2026 in cal.known_years and 2027 not in cal.known_years
    assert cal.add_workdays(date(2026, 9, 24), 20).date == date(2026, 10, 29)
    assert not cal.is_workday(date(2026, 2, 23)) and cal.is_workday(date(2026, 2, 28))


def test_year_without_a_calendar_year_row_stays_unknown(ctx):
    db.session.add(CalendarDay(day=date(2027, 1, 1), is_workday=False, note="元旦", source="人工"))
    db.session.commit()
    assert 2027 not in load_calendar().known_years


def test_show_lists_holidays_make_up_days_and_the_working_day_total(app):
    result = app.test_cli_runner().invoke(calendar_group, ["show", "2026"])
    assert "2026-10-10 周六 国庆节调休上班" in result.stdout
    assert "2026-02-23 周一 春节" in result.stdout
    assert "全年工作日共 248 天" in result.stdout  # 261 weekdays − 19 rest weekdays + 6 make-up days


def test_show_of_an_unloaded_year_says_so_and_gives_the_statutory_estimate(ctx):
    text = show_year(2027)
    assert text.startswith("2027年的节假日安排尚未载入日历")
    assert "2027-02-05 周五 春节" in text


def test_seed_command_reports_years_and_refuses_years_beyond_chinesecalendar(app):
    runner = app.test_cli_runner()
    assert "2025" in runner.invoke(calendar_group, ["seed", "2025"]).stdout
    refused = runner.invoke(calendar_group, ["seed", "2027"])
    assert refused.exit_code == 1 and "2027" in refused.output


def test_cli_import_redates_open_applications_like_the_admin_page(app, runner, calendar, tmp_path, monkeypatch):
    """A year imported from the shell moves the stored due dates the queue shows, not only the page."""
    from datetime import date

    from portal.calendar.cli import calendar_group
    from portal.info_requests import services
    from tests.factories.requests import clerk

    monkeypatch.setattr("portal.info_requests.records.office_today", lambda: date(2026, 12, 20))
    fields = {"applicant_type": "公民", "org_kind": None, "description": "加装电梯补贴名单",
              "provide_forms": "纸质", "obtain_methods": "邮寄"}
    info_request, _ = services.register(fields, {"name": "张三", "phone": "13800138000"},
                                        channel="当面", receipt_date=date(2026, 12, 15), user=clerk())
    assert info_request.due_provisional and info_request.due_date == date(2027, 1, 13)
    schedule = tmp_path / "2027.txt"
    schedule.write_text("\n".join([
        "2027-01-01,休,元旦", "2027-01-04,休,假设的调休", "2027-02-05~2027-02-11,休,春节",
        "2027-04-05,休,清明节", "2027-05-03~2027-05-05,休,劳动节", "2027-06-09,休,端午节",
        "2027-09-15,休,中秋节", "2027-10-01~2027-10-07,休,国庆节"]), encoding="utf-8")
    result = app.test_cli_runner().invoke(calendar_group, ["import", str(schedule)])
    assert result.exit_code == 0, result.output
    assert info_request.tracking_number in result.output
    from portal.extensions import db
    db.session.expire_all()
    assert not info_request.due_provisional and info_request.due_date == date(2027, 1, 14)


def test_applicant_with_an_email_is_told_when_a_calendar_import_moves_the_due_date(app, calendar, tmp_path, monkeypatch):
    """Letters promise 如有变化将另行告知: the move goes to the applicant through the outbox."""
    from datetime import date

    from sqlalchemy import select

    from portal.calendar.changes import import_schedule
    from portal.extensions import db
    from portal.info_requests import services
    from portal.models import OutboxMessage
    from tests.factories.requests import clerk

    monkeypatch.setattr("portal.info_requests.records.office_today", lambda: date(2026, 12, 20))
    fields = {"applicant_type": "公民", "org_kind": None, "description": "加装电梯补贴名单",
              "provide_forms": "电子邮件", "obtain_methods": "电子邮件"}
    info_request, _ = services.register(
        fields, {"name": "张三", "phone": "13800138000", "email": "zhangsan@example.com"},
        channel="当面", receipt_date=date(2026, 12, 15), user=clerk())
    schedule = "\n".join([
        "2027-01-01,休,元旦", "2027-01-04,休,假设的调休", "2027-02-05~2027-02-11,休,春节",
        "2027-04-05,休,清明节", "2027-05-03~2027-05-05,休,劳动节", "2027-06-09,休,端午节",
        "2027-09-15,休,中秋节", "2027-10-01~2027-10-07,休,国庆节"])
    import_schedule(schedule.encode())
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.contains("期限调整")))
    assert message.to_address == "zhangsan@example.com"
    assert "由 2027年1月13日 调整为 2027年1月14日" in message.body and info_request.tracking_number in message.body

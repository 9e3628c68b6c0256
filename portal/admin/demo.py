"""Demo content for `make run` (flask load-demo): the sample office's catalog, staff accounts, six years of
applications with the annual reports computed from them, and a few applications open today, each made through
the services staff use.
"""
from datetime import date, timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..accounts.auth import find_user
from ..accounts.cli import CLI_ACTOR, DEMO_PASSWORD, DEMO_USERS, create_demo_users
from ..calendar.store import ensure_seeded, load_calendar
from ..catalog.importer import import_file
from ..catalog.standard import load_demo_rows
from ..core.clock import office_today
from ..extensions import db
from ..info_requests import outcomes as rl
from ..info_requests import services
from ..models import Document, InfoRequest, Office
from .demo_history import YEARS, load_history, publish_reports
from .demo_people import citizen, organisation, request

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def workdays_before(today: date, n: int) -> date:
    """The working day n working days before today (estimated where the calendar has no year)."""
    calendar, day, left = load_calendar(), today, n
    while left:
        day -= timedelta(days=1)
        left -= calendar.is_workday(day, allow_estimate=True)
    return day


def load_applications(today: date) -> int:
    """A handful of applications open today, in different states, made through the real staff services."""
    handler, head = find_user("handler"), find_user("head")
    services.submit_online(request("石泉路街道2025年度“美丽家园”小区综合治理项目的施工合同"),
                           citizen("演示申请人甲", "31010719700101001", "13900000001") | {"email": ""})
    counting, _ = services.register(request("2024年老旧小区加装电梯补贴的审批名单"),
                                    citizen("演示申请人乙", "31010719650505002", "13900000002"),
                                    channel="当面", receipt_date=workdays_before(today, 12), user=handler)
    correcting, _ = services.register(request("关于那个拆迁的文件"),
                                      citizen("演示申请人丙", "31010719800808003", "13900000003"),
                                      channel="邮寄", receipt_date=workdays_before(today, 5), user=handler)
    services.request_correction(correcting, workdays_before(today, 3), handler,
                                points="请写明所需文件的名称、地块或项目名称及大致年份。", workdays=10)
    extended, _ = services.register(request("2023年石泉路街道房屋征收补偿方案及其批复", "法律服务机构"),
                                    organisation("上海演示律师事务所", "31310000MD0000001"),
                                    channel="邮寄", receipt_date=workdays_before(today, 18), user=handler)
    services.approve_extension(extended, workdays_before(today, 1), head, workdays=15,
                               reason="涉及多个年度的档案，需要调取和整理。")
    replied, _ = services.register(request("石泉路街道2025年部门决算"),
                                   citizen("演示申请人丁", "31010719900303004", "13900000004"),
                                   channel="当面", receipt_date=workdays_before(today, 30), user=handler)
    services.reply(replied, workdays_before(today, 22), handler, outcome=rl.DISCLOSED)
    return 5


def load_demo(today: date) -> list[str]:
    """Load whatever demo content is missing; return what was done, in Chinese, for the console."""
    Office.ensure()
    db.session.commit()
    ensure_seeded()
    said = []
    count = db.session.scalar(select(func.count()).select_from(Document))
    if count:
        said.append(f"目录中已有 {count} 条信息，不再载入演示内容。")
    else:
        report = import_file(DEMO_DIR / "catalog.jsonl", actor=CLI_ACTOR)
        if not report.committed:
            raise ValueError("演示内容有错误，未载入：" + "；".join(str(e) for e in report.errors))
        said.append(f"已载入演示内容：{report.created} 条主动公开信息。")
    create_demo_users()
    if not db.session.scalar(select(func.count()).select_from(InfoRequest)):
        # Only with the demo applications: a report of real records is for staff to publish, never load-demo.
        past = load_history(find_user("handler"), find_user("head"))
        years = publish_reports(find_user("admin"))
        now = load_applications(today)
        said.append(f"已载入演示申请：{past + now} 件，其中 {YEARS[0]}—{YEARS[-1]} 年的 {past} 件已办结"
                    f"（涵盖各类答复结果，含补正、征求意见、延期和收费），另有近期的 {now} 件"
                    "（待确认、办理中、待补正、已延期的各一件仍在办理，一件已答复）。")
        if years:
            said.append(f"已按这些申请编制并发布 {'、'.join(map(str, years))} 年度政府信息公开工作年度报告。")
    said.append(load_demo_rows())
    return said


@click.command("load-demo")
@with_appcontext
def load_demo_command() -> None:
    """载入演示内容：主动公开目录、演示账户和几件演示申请（已有的不再重复载入）。"""
    try:
        for line in load_demo(office_today()):
            click.echo(line)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"演示工作人员账户（登录 /admin，密码均为 {DEMO_PASSWORD}，仅供演示，正式使用前请删除）：")
    for username, display_name, _roles in DEMO_USERS:
        click.echo(f"  {username:<9} {display_name}")

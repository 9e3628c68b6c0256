"""Demo content for `make run` (flask load-demo): the sample office's catalog, staff accounts and a few
applications, each made through the services staff use.
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
from ..core.validators import resident_id_check_char, uscc_check_char
from ..extensions import db
from ..info_requests import outcomes as rl
from ..info_requests import services
from ..models import Document, InfoRequest, Office

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def _citizen(name: str, body17: str, phone: str) -> dict:
    """A made-up citizen (the ID's check digit is computed, the person does not exist)."""
    return {"name": name, "id_type": "居民身份证", "id_number": body17 + resident_id_check_char(body17),
            "phone": phone, "address": "上海市普陀区石泉路（演示地址）", "postcode": "200061"}


def _organisation(name: str, body17: str) -> dict:
    """A made-up organisation (the credit code's check character is computed)."""
    return {"name": name, "uscc": body17 + uscc_check_char(body17), "legal_representative": "演示法人",
            "contact_person": "演示联系人", "phone": "021-62540000", "address": "上海市普陀区（演示地址）"}


def _request(description: str, kind: str | None = None) -> dict:
    """The application's own fields."""
    return {"applicant_type": "法人或其他组织" if kind else "公民", "org_kind": kind, "description": description,
            "provide_forms": "纸质", "obtain_methods": "自行领取/当场阅读抄录"}


def workdays_before(today: date, n: int) -> date:
    """The working day n working days before today (estimated where the calendar has no year)."""
    calendar, day, left = load_calendar(), today, n
    while left:
        day -= timedelta(days=1)
        left -= calendar.is_workday(day, allow_estimate=True)
    return day


def load_applications(today: date) -> int:
    """A handful of applications in different states, made through the real staff services."""
    handler, head = find_user("handler"), find_user("head")
    services.submit_online(_request("石泉路街道2025年度“美丽家园”小区综合治理项目的施工合同"),
                           _citizen("演示申请人甲", "31010719700101001", "13900000001") | {"email": ""})
    counting, _ = services.register(_request("2024年老旧小区加装电梯补贴的审批名单"),
                                    _citizen("演示申请人乙", "31010719650505002", "13900000002"),
                                    channel="当面", receipt_date=workdays_before(today, 12), user=handler)
    correcting, _ = services.register(_request("关于那个拆迁的文件"),
                                      _citizen("演示申请人丙", "31010719800808003", "13900000003"),
                                      channel="邮寄", receipt_date=workdays_before(today, 5), user=handler)
    services.request_correction(correcting, workdays_before(today, 3), handler,
                                points="请写明所需文件的名称、地块或项目名称及大致年份。", workdays=10)
    extended, _ = services.register(_request("2023年石泉路街道房屋征收补偿方案及其批复", "法律服务机构"),
                                    _organisation("上海演示律师事务所", "31310000MD0000001"),
                                    channel="邮寄", receipt_date=workdays_before(today, 18), user=handler)
    services.approve_extension(extended, workdays_before(today, 1), head, workdays=15,
                               reason="涉及多个年度的档案，需要调取和整理。")
    replied, _ = services.register(_request("石泉路街道2025年部门决算"),
                                   _citizen("演示申请人丁", "31010719900303004", "13900000004"),
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
        said.append(f"已载入演示申请：{load_applications(today)} 件（待确认、办理中、待补正、已延期、已答复各一）。")
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

"""Operator commands of 依申请公开: flask --app wsgi purge-personal-data [--yes].

A command that acts per office goes through every office of the portal, each with its own settings, acting
for it (its audit rows name it)."""
from datetime import date

import click
from flask.cli import with_appcontext

from ..accounts.cli import CLI_ACTOR
from ..core.clock import office_today
from ..models import Office
from .retention import due, remove_personal_data


@click.command("purge-personal-data")
@click.option("--yes", is_flag=True, help="确认删除；不加时只列出将删除的申请（试运行）。")
@with_appcontext
def purge_personal_data_command(yes: bool) -> None:
    """删除已过个人信息保存期限的申请的申请人个人信息和身份证明材料（默认试运行）。"""
    today, several = office_today(), Office.several()
    for office in Office.listed() or [Office.first()]:
        with office.acting():
            if several:
                click.echo(f"【{office.name}】")
            purge_office(office, today, yes)


def purge_office(office: Office, today: date, yes: bool) -> None:
    """List (and with `yes` remove) one office's applications past its own 个人信息保存期限."""
    years = office.retention_years
    found = due(today, years, office_id=office.id)
    if not found:
        click.echo(f"没有超过个人信息保存期限（办结后 {years} 年）的申请。")
        return
    for item in found:
        held = f"，暂不删除：{item.held}" if item.held else ""
        click.echo(f"{item.info_request.tracking_number}  {item.closed_on.isoformat()} 办结，保存至 "
                   f"{item.kept_until.isoformat()}，身份证明文件 {item.proof_files} 个{held}")
    ready = [item for item in found if not item.held]
    if not yes:
        click.echo(f"试运行：以上 {len(ready)} 件申请的个人信息将被删除，未作任何修改。确认后加 --yes 执行。")
        return
    for item in ready:
        remove_personal_data(item, today, CLI_ACTOR)
    click.echo(f"已删除 {len(ready)} 件申请的申请人个人信息和 {sum(i.proof_files for i in ready)} 个身份证明文件；"
               "件数、结果和日期保留，供年度报告统计。")


INFO_REQUEST_COMMANDS = [purge_personal_data_command]

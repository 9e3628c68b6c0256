"""Operator commands (flask --app wsgi …): importing the catalog, demo content, the search index."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .catalog.importer import import_file


@click.command("import-documents")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="导入无误的行，跳过有错误的行。")
@with_appcontext
def import_documents_command(file: Path, skip_invalid: bool) -> None:
    """从 JSON Lines 或 CSV 文件导入主动公开目录（UTF-8，可带 BOM）。"""
    try:
        report = import_file(file, skip_invalid=skip_invalid, max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    for error in report.errors:
        click.echo(str(error), err=True)
    if not report.committed:
        raise click.ClickException(
            f"文件有 {len(report.errors)} 处错误，未导入任何条目。请修正后重新导入，或加 --skip-invalid 跳过出错的行。"
        )
    click.echo(f"导入完成：新增 {report.created} 条，更新 {report.updated} 条，跳过 {report.skipped} 行。")


@click.command("load-demo")
@with_appcontext
def load_demo_command() -> None:
    """载入演示内容：主动公开目录、演示账户和几件演示申请（已有的不再重复载入）。"""
    from .apply.events import office_today
    from .demo import load_demo
    from .users_cli import DEMO_PASSWORD, DEMO_USERS

    try:
        for line in load_demo(office_today()):
            click.echo(line)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"演示工作人员账户（登录 /admin，密码均为 {DEMO_PASSWORD}，仅供演示，正式使用前请删除）：")
    for username, display_name, _roles in DEMO_USERS:
        click.echo(f"  {username:<9} {display_name}")


def all_commands() -> list:
    """Every operator command, gathered from the modules that own them."""
    from .calendar_cli import CALENDAR_COMMANDS
    from .mail import MAIL_COMMANDS
    from .search import reindex_command
    from .users_cli import USER_COMMANDS

    return [import_documents_command, load_demo_command, reindex_command,
            *CALENDAR_COMMANDS, *USER_COMMANDS, *MAIL_COMMANDS]

"""Operator commands of the catalog: flask --app wsgi import-documents FILE."""
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import search
from ..accounts.cli import CLI_ACTOR
from ..core.uploads import sweep_orphans
from ..models import Office
from .importer import import_file


def office_for_command(code: str) -> Office:
    """The office a command acts for: the one --office names, else the only one (several need --office)."""
    if code:
        office = Office.by_code(code)
        if office is None:
            known = "、".join(o.code for o in Office.listed())
            raise click.ClickException(f"没有网址代码为“{code}”的机关。已有的机关：{known}")
        return office
    if Office.several():
        known = "、".join(f"{o.code}（{o.name}）" for o in Office.listed())
        raise click.ClickException(f"本门户服务多个机关，请用 --office 指明导入到哪个机关：{known}")
    return Office.first()


@click.command("import-documents")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="导入无误的行，跳过有错误的行。")
@click.option("--office", "office_code", default="",
              help="导入到哪个机关（其网址代码，如 wanzhen）；门户只服务一个机关时不必给出。")
@with_appcontext
def import_documents_command(file: Path, skip_invalid: bool, office_code: str) -> None:
    """从 JSON Lines 或 CSV 文件导入主动公开目录（UTF-8，可带 BOM）。"""
    office = office_for_command(office_code)
    try:
        with office.acting():
            report = import_file(file, actor=CLI_ACTOR, skip_invalid=skip_invalid,
                                 max_bytes=current_app.config["MAX_CONTENT_LENGTH"])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    for error in report.errors:
        click.echo(str(error), err=True)
    if not report.committed:
        raise click.ClickException(
            f"文件有 {len(report.errors)} 处错误，未导入任何条目。请修正后重新导入，或加 --skip-invalid 跳过出错的行。"
        )
    search.catch_up()  # the operator searches the imported entries at once
    for notice in report.notices:
        click.echo(notice, err=True)
    where = f"（{office.name}）" if Office.several() else ""
    click.echo(f"导入完成{where}：新增 {report.created} 条，更新 {report.updated} 条，跳过 {report.skipped} 行。")


@click.command("sweep-uploads")
@click.option("--hours", type=float, default=None,
              help="只删除早于这么多小时的文件（默认取 UPLOAD_ORPHAN_HOURS，即 24 小时）。")
@with_appcontext
def sweep_uploads_command(hours: float | None) -> None:
    """删除上传目录中没有任何附件或公开文件记录的文件（进程在保存中途被终止时留下的）。"""
    removed = sweep_orphans(timedelta(hours=hours) if hours is not None else None)
    click.echo(f"已删除 {len(removed)} 个无主附件文件。")


CATALOG_COMMANDS = [import_documents_command, sweep_uploads_command]

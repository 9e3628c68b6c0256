"""Operator commands for the working-day calendar: flask --app wsgi calendar … / workdays …"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import with_appcontext

from .changes import import_schedule
from .store import CalendarImportError, ensure_seeded, load_calendar, seed_from_chinesecalendar, show_year
from .workdays import describe_missing


class DateParam(click.ParamType):
    """A YYYY-MM-DD date, with the error in Chinese."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        """Parse the date or fail the command with a Chinese message."""
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"日期“{value}”无效，应为 YYYY-MM-DD，例如 2026-09-24", param, ctx)


DATE = DateParam()


@click.group("calendar")
def calendar_group():
    """工作日历：导入、查看国务院公布的节假日安排。"""


@calendar_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="替换已载入的同一年安排。")
@with_appcontext
def import_command(file, replace):
    """导入一年的节假日安排（每行“日期,休或班,说明”，UTF-8）。"""
    ensure_seeded()
    try:
        # The same service as the 管理员's import page: one transaction that stores the year,
        # audits it and re-dates every open application.
        summary, moved = import_schedule(Path(file).read_bytes(), replace=replace)
    except CalendarImportError as exc:
        click.echo("导入失败，未做任何修改：", err=True)
        for error in exc.errors:
            click.echo(f"  {error}", err=True)
        if not replace and any("已载入" in error for error in exc.errors):
            click.echo("在命令行中替换已载入的安排，请加 --replace 参数。", err=True)
        raise SystemExit(1) from None
    action = "已替换" if summary.replaced else "已导入"
    click.echo(f"{action}{summary.year}年的安排：放假 {summary.rest_days} 天，调休上班 {summary.work_days} 天。")
    if moved:
        click.echo(f"已重新计算 {len(moved)} 件办理中申请的答复期限：" + "、".join(r.tracking_number for r in moved))


@calendar_group.command("show")
@click.argument("year", type=click.IntRange(1900, 2200))
@with_appcontext
def show_command(year):
    """显示某一年的节假日安排。"""
    ensure_seeded()
    click.echo(show_year(year))


@calendar_group.command("seed")
@click.argument("years", nargs=-1, type=int)
@with_appcontext
def seed_command(years):
    """从 chinesecalendar 载入尚未载入的年份（默认全部可用年份）。"""
    try:
        seeded = seed_from_chinesecalendar(years or None)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已载入：{'、'.join(map(str, seeded))}" if seeded else "没有需要载入的年份。")


@click.group("workdays")
def workdays_group():
    """工作日计算。"""


@workdays_group.command("after")
@click.argument("start", type=DATE)
@click.argument("n", type=click.IntRange(0, 10_000))
@with_appcontext
def after_command(start, n):
    """输出 START 之后的第 N 个工作日（START 当日不计）。"""
    ensure_seeded()
    result = load_calendar().add_workdays(start, n)
    _answer(result, result.date.isoformat(), f"{result.date}")


@workdays_group.command("between")
@click.argument("start", type=DATE)
@click.argument("end", type=DATE)
@with_appcontext
def between_command(start, end):
    """输出 START 之后至 END（含）之间的工作日天数。"""
    ensure_seeded()
    result = load_calendar().workdays_between(start, end)
    _answer(result, str(result.count), f"{result.count} 个工作日")


def _answer(result, text: str, estimate: str) -> None:
    """Print the answer, or refuse (exit 1) naming the missing years when it rests on an estimate."""
    if result.provisional:
        click.echo(f"无法确定：{describe_missing(result.missing_years)}。", err=True)
        click.echo(f"估算结果为 {estimate}（仅供参考）。", err=True)
        raise SystemExit(1)
    click.echo(text)


CALENDAR_COMMANDS = [calendar_group, workdays_group]

"""补正 sent online (条例 Art. 30, 31(三)): pure checks the replay applies, no database.

A corrected application sent on the portal arrives at once (CORRECTION_SUBMITTED), but like any online
submission its receipt date is the day the office confirms it with the applicant (Art. 31(三)): the
CORRECTED_RECEIVED event on that day restarts the 20 working days. Meanwhile the application stays 待补正.
- Sent on or before the last day of the 补正 period (the latest told in writing or computed now) it is in
  time: 视为放弃 is then impossible while it waits, and its confirmation needs no reason.
- Sent later it is still kept, marked late: staff decide, either 视为放弃 or accept it for a good reason,
  which the confirmation then records.
- It is confirmed on or after the day it was sent, never before (the replay's order check also holds it).
"""
from __future__ import annotations

import datetime as dt


def check_sent(already: dt.date | None, sent_on: dt.date) -> None:
    """Refuse (in Chinese) a second online correction: one 补正 for the one 补正告知书."""
    if already is not None:
        raise ValueError(f"已于 {already} 在线提交过补正，正等待工作人员确认，不能重复提交")


def check_confirmed(sent_on: dt.date | None, late: bool, on: dt.date, reason: str) -> None:
    """Refuse a confirmation dated before the correction was sent, or of a late one without a reason."""
    if sent_on is None:
        return
    if on < sent_on:
        raise ValueError(f"确认日期 {on} 早于申请人在线提交补正之日 {sent_on}，请填写 {sent_on} 或之后的日期")
    if late and not reason.strip():
        raise ValueError(f"补正于 {sent_on} 提交，已晚于补正期限：确认接受的，请填写申请人逾期补正的正当理由；"
                         "没有正当理由的，请登记视为放弃申请")


def check_abandon(sent_on: dt.date | None, late: bool, on: dt.date) -> None:
    """Refuse 视为放弃 while a correction sent in time waits for confirmation."""
    if sent_on is not None and not late:
        raise ValueError(f"申请人已于 {sent_on} 在补正期限内在线提交补正，正等待确认，不能于 {on} 视为放弃申请")

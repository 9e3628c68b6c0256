"""Consultations (条例 Art. 32, 34): the consulted party's 15 working days, and what ends a pause.

The replay (events.py) uses the rules here to accept the day the party received the 征求意见书 and the
closing of a consultation; the deadline engine (deadlines.py) uses `derive_pause` to turn each one into
the working days it paused, capped at the party's limit, with its sentence in Chinese; the closing step
(consultation_steps.py) asks `check_closing` what a closing recorded today must add. Pure: no database.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)

THIRD_PARTY = "第三方"  # a third party goes by this name (第三方, 第三方2 …); another office by its own
CONSULTED_DAYS = 15  # Art. 32 (third party) and Art. 34 (other office), from the day after receipt
DELIVERY_CHECK_DAYS = 5  # no receipt date recorded 5 working days after sending: ask staff to check
RECEIVED_OPINION = "收到意见"
SILENT = "逾期未提出意见"
STOPPED = "不再征求意见"
CLOSE_REASONS = (RECEIVED_OPINION, SILENT, STOPPED)
AGREED, OBJECTED = "同意公开", "不同意公开"
OPINIONS = (AGREED, OBJECTED)
# The office's decision on a third party's objection, Art. 32's three outcomes:
# - WITHHOLD: "第三方不同意公开且有合理理由的，行政机关不予公开".
# - DISCLOSE_UNFOUNDED: the objection has no 合理理由 (the information is not the third party's commercial
#   secret or privacy, so Art. 15 does not bar it): disclosed under the regulation's general rule (Art. 13,
#   公开为常态), no public-interest claim needed. Art. 32 asks for no letter here: its duty to tell the third
#   party in writing ("并将决定公开的政府信息内容和理由书面告知第三方") belongs to the public-interest sentence
#   alone, so no 告知书 is generated; the reasons are recorded with the event (the timeline shows them).
# - DISCLOSE_ANYWAY: "行政机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府
#   信息内容和理由书面告知第三方" — the 决定公开告知书 (consultation_letters.py), with the day of disclosure.
WITHHOLD, DISCLOSE_UNFOUNDED, DISCLOSE_ANYWAY = "不予公开", "理由不成立，予以公开", "决定公开"
DECISIONS = (WITHHOLD, DISCLOSE_UNFOUNDED, DISCLOSE_ANYWAY)
DISCLOSING = frozenset({DISCLOSE_UNFOUNDED, DISCLOSE_ANYWAY})  # their reasons are recorded with the event
DELIVERY_WAYS = ("当面送达", "邮寄签收", "电子邮件", "其他方式")


def is_third_party(party: str) -> bool:
    """Whether a consultation is with a third party (Art. 32) rather than another office (Art. 34)."""
    return party.startswith(THIRD_PARTY)


@dataclass
class OpenPause:
    """A consultation while replaying; last stays None until it is closed, delivered until recorded."""

    party: str
    sent: dt.date
    last: dt.date | None = None
    how: str = ""
    delivered: dt.date | None = None
    delivered_how: str = ""
    opinion: str = ""
    decision: str = ""
    disclose_on: dt.date | None = None


@dataclass(frozen=True)
class Pause:
    """A consultation's pause: days first..last (inclusive) do not count.

    last is None while the consultation is open with no receipt day recorded; with one, last is at most
    the party's limit (party_due). closed_on is the day staff closed it (None while open).
    """

    party: str
    sent: dt.date
    first: dt.date
    last: dt.date | None
    workdays: int | None
    how: str
    closed_on: dt.date | None = None
    delivered: dt.date | None = None
    party_due: dt.date | None = None
    lapsed: bool = False  # the party's limit passed without an opinion (or the opinion came after it)
    delivery_check: dt.date | None = None  # open, receipt day unknown: flagged after this day
    delivery_overdue: bool = False
    opinion: str = ""
    decision: str = ""
    disclose_on: dt.date | None = None

    @property
    def is_open(self) -> bool:
        """Staff have not closed this consultation yet."""
        return self.closed_on is None

    @property
    def third_party(self) -> bool:
        """Art. 32 (a third party) rather than Art. 34 (another office)."""
        return is_third_party(self.party)


def silence_rule(third_party: bool) -> str:
    """What a party's silence past its limit means: the office decides (Art. 32), or consent (Art. 34)."""
    return ("第三方逾期未提出意见的，由本机关依照条例的规定决定是否公开（条例第三十二条）" if third_party
            else "被征求意见机关逾期未提出意见的，视为同意公开（条例第三十四条）")


def party_due(pause: OpenPause, calendar) -> dt.date | None:
    """The consulted party's limit: the 15th working day strictly after it received the letter (Art. 32/34)."""
    return None if pause.delivered is None else calendar.add_workdays(pause.delivered, CONSULTED_DAYS).date


def one_open(open_pauses: list[OpenPause], e) -> OpenPause:
    """The open consultation an event names (or the only one open); ValueError in Chinese otherwise."""
    candidates = [p for p in open_pauses if not e.party or p.party == e.party]
    if len(candidates) != 1:
        raise ValueError(f"没有正在进行的征求{e.party}意见" if not candidates
                         else "有多项征求意见尚未结束，请注明是哪一项")
    return candidates[0]


def deliver(open_pauses: list[OpenPause], e) -> None:
    """Art. 32/34: the day the party received the 征求意见书, once, not before it was sent."""
    p = one_open(open_pauses, e)
    if p.delivered is not None:
        raise ValueError(f"已登记{p.party}于 {p.delivered} 收到征求意见书，不能重复登记")
    if e.date < p.sent:
        raise ValueError(f"{p.party}收到征求意见书的日期 {e.date} 早于发出日期 {p.sent}")
    p.delivered, p.delivered_how = e.date, e.reason


def check_close_date(p: OpenPause, day: dt.date) -> None:
    """A consultation ends neither before its 征求意见书 was sent nor before the party received it."""
    if day < p.sent:
        raise ValueError(f"结束征求{p.party}意见的日期 {day} 早于发出征求意见书的日期 {p.sent}")
    if p.delivered is not None and day < p.delivered:
        raise ValueError(f"{p.party}于 {p.delivered} 才收到征求意见书，结束征求意见的日期 {day} 不能早于该日"
                         "（对方收到之前不能提出意见），请核对日期")


def close(open_pauses: list[OpenPause], e, calendar) -> None:
    """End a consultation (the replay): what every stored closing holds, however old.

    Dated on or after sending and receipt; silence only after the party's limit; an opinion only with 收到意见;
    a decision only on a third party's objection, a public-interest disclosure with a date after the notice.
    What a closing recorded today must add (closings stored before opinions were recorded lack it) is
    `check_closing`.
    """
    p = one_open(open_pauses, e)
    if e.reason and e.reason not in CLOSE_REASONS:
        raise ValueError(f"结束原因应为：{'、'.join(CLOSE_REASONS)}")
    check_close_date(p, e.date)
    if e.reason == SILENT:
        due = party_due(p, calendar)
        if due is None:
            raise ValueError(f"尚未登记{p.party}收到征求意见书的日期，不能认定逾期未提出意见")
        if e.date <= due:
            raise ValueError(f"{p.party}的意见期限至 {due}，{e.date} 尚未届满，不能认定逾期未提出意见")
    if e.opinion and e.opinion not in OPINIONS:
        raise ValueError(f"对方意见应为：{'、'.join(OPINIONS)}")
    if e.opinion and e.reason not in ("", RECEIVED_OPINION):
        raise ValueError(f"“{e.reason}”的，不填写对方意见")
    if e.decision and not (e.opinion == OBJECTED and is_third_party(p.party)):
        raise ValueError("只有第三方不同意公开时，才需要作出是否公开的决定（条例第三十二条）")
    if e.decision and e.decision not in DECISIONS:
        raise ValueError(f"决定应为：{'、'.join(DECISIONS)}")
    if e.decision == DISCLOSE_ANYWAY and (e.until is None or e.until <= e.date):
        raise ValueError("决定公开的，须写明公开日期，且应晚于告知第三方之日（条例第三十二条）")
    p.last, p.how = e.date, e.reason or RECEIVED_OPINION
    p.opinion, p.decision, p.disclose_on = e.opinion, e.decision, e.until


def check_closing(party: str, e, *, disclosed: str = "", grounds: str = "") -> None:
    """What a closing recorded now must carry besides what `close` checks, refused in Chinese.

    The opinion received; on a third party's objection the office's decision (Art. 32); the reasons when
    it discloses — for an unfounded objection recorded with the event, for the public interest also the
    content, both written into the 告知书. Not replay rules: closings stored before these were asked lack them.
    """
    if e.reason in ("", RECEIVED_OPINION) and not e.opinion:
        raise ValueError("收到意见的，请选择对方的意见（同意公开或不同意公开）")
    if is_third_party(party) and e.opinion == OBJECTED and not e.decision:
        raise ValueError("第三方不同意公开的，请选择本机关的决定：理由合理的不予公开；理由不成立的依照条例公开；"
                         "或认为不公开可能对公共利益造成重大影响而决定公开（条例第三十二条）")
    if e.decision == DISCLOSE_UNFOUNDED and not grounds.strip():
        raise ValueError("认为第三方不同意公开的理由不成立的，请写明理由（例如所涉信息不属于其商业秘密或者个人隐私）")
    if e.decision == DISCLOSE_ANYWAY and not (disclosed.strip() and grounds.strip()):
        raise ValueError("决定公开的，须写明决定公开的政府信息内容和理由，以书面告知第三方（条例第三十二条）")


def derive_pause(p: OpenPause, counter, today: dt.date) -> tuple[Pause, str]:
    """One consultation: its party's limit, where the pause ends, and the sentence saying so.

    `counter` counts working days and remembers estimated years (the deadline engine's derivation).
    """
    first = p.sent + ONE_DAY
    limit = None if p.delivered is None else counter.add(p.delivered, CONSULTED_DAYS)
    last, lapsed = p.last, False
    if limit is not None and (last is None or last > limit):
        last, lapsed = limit, p.last is not None or today > limit
    check = counter.add(p.sent, DELIVERY_CHECK_DAYS) if p.last is None and p.delivered is None else None
    days = counter.between(p.sent, last) if last is not None else None
    pause = Pause(p.party, p.sent, first, last, days, p.how, closed_on=p.last, delivered=p.delivered,
                  party_due=limit, lapsed=lapsed, delivery_check=check,
                  delivery_overdue=check is not None and today > check, opinion=p.opinion,
                  decision=p.decision, disclose_on=p.disclose_on)
    return pause, pause_sentence(p, pause)


def public_pause_sentence(pause: Pause) -> str:
    """A consultation as the applicant's tracking page tells it: only that the reply period paused and for how
    long — never who was consulted by name, what they answered, the office's decision or staff instructions."""
    text = f"征求意见：{pause.sent} 发出征求意见书，自 {pause.first} 起暂停计算答复期限"
    if pause.last is None:
        return text + "，征求意见结束后继续计算"
    if pause.is_open and not pause.lapsed:
        return text + f"，最迟至 {pause.last}"
    return text + f"至 {pause.last}，共 {pause.workdays} 个工作日"


def pause_sentence(p: OpenPause, pause: Pause) -> str:
    """征求…意见 in one sentence: sent, received, limit, how it ended, what silence means."""
    text = f"征求{p.party}意见：{p.sent} 发出"
    if pause.delivered is not None:
        text += (f"，对方于 {pause.delivered} 收到征求意见书（{p.delivered_how or '已送达'}），"
                 f"意见期限至 {pause.party_due}（收到之日起{CONSULTED_DAYS}个工作日，当日不计）")
    elif pause.is_open:
        text += "，尚未登记对方收到征求意见书的日期"
        if pause.delivery_overdue:
            text += f"；发出已超过{DELIVERY_CHECK_DAYS}个工作日（{pause.delivery_check} 后），请核实送达情况并登记收到日期"
    silence = silence_rule(pause.third_party)
    if pause.is_open and pause.last is None:
        return text + f"，尚未收到意见，自 {pause.first} 起暂停计算"
    if pause.is_open and not pause.lapsed:
        return text + f"，尚未收到意见，自 {pause.first} 起暂停计算，最迟至意见期限 {pause.last}"
    if pause.is_open:
        return (text + f"；意见期限已届满，未收到意见：暂停计算至 {pause.last}，共 {pause.workdays} 个工作日，"
                f"自 {pause.last + ONE_DAY} 起恢复计算答复期限。{silence}")
    if p.how == SILENT:
        text += (f"，意见期限届满未收到意见（{pause.closed_on} 结束征求意见），暂停计算至 {pause.last}，"
                 f"共 {pause.workdays} 个工作日。{silence}")
    elif pause.closed_on > pause.last:
        text += (f"，{pause.closed_on} {p.how}，晚于意见期限 {pause.last}：暂停计算至意见期限届满之日，"
                 f"共 {pause.workdays} 个工作日")
    else:
        text += f"，{pause.closed_on} {p.how}，暂停计算 {pause.workdays} 个工作日"
    if p.opinion:
        text += f"；意见：{p.opinion}"
    if p.decision == WITHHOLD:
        text += "；第三方不同意公开且有合理理由，不予公开（条例第三十二条）"
    elif p.decision == DISCLOSE_UNFOUNDED:
        text += ("；第三方不同意公开的理由不成立（所涉信息不属于其商业秘密、个人隐私等不得公开的信息，条例第十五条），"
                 "依照条例予以公开（条例第三十二条未要求就此书面告知第三方）")
    elif p.decision == DISCLOSE_ANYWAY:
        text += (f"；本机关认为不公开可能对公共利益造成重大影响，决定予以公开，已书面告知第三方，"
                 f"{p.disclose_on} 起公开（条例第三十二条）")
    elif p.opinion == OBJECTED and pause.third_party:
        text += "；是否公开由本机关决定（条例第三十二条）"
    return text

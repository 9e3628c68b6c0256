"""Reply outcomes and the grounds each needs (条例 Art. 36–39): the one place these strings are defined.

The staff reply form offers OUTCOMES and GROUNDS; the annual report (portal.reports.lines) places each
finished application on the row of its outcome and ground. The strings follow the report format of
国办公开办函〔2021〕30号 to the character, so a stored reply and its report line never drift apart.
"""

DISCLOSED = "予以公开"
PARTLY_DISCLOSED = "部分公开"
REFUSED = "不予公开"
UNABLE = "无法提供"
NOT_PROCESSED = "不予处理"
OTHER = "其他处理"
OUTCOMES = (DISCLOSED, PARTLY_DISCLOSED, REFUSED, UNABLE, NOT_PROCESSED, OTHER)

ALREADY_PUBLISHED = "已经主动公开"  # counts as 予以公开
OUTCOME_ALIASES = {ALREADY_PUBLISHED: DISCLOSED}

OVERDUE_CORRECTION = "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
UNPAID_FEE = "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
OTHER_GROUND = "其他"
# 视为放弃 (no correction in time, Art. 30; an unpaid fee, 收费管理办法第六条) is recorded by its own step, which
# checks the date told in writing has passed and issues the 视为放弃告知书; never by a reply. The grounds stay in
# GROUNDS for the annual report's rows.
LAPSES = {OVERDUE_CORRECTION: "视为放弃申请", UNPAID_FEE: "逾期未缴费（视为放弃申请）"}  # ground → the staff page's action

# The grounds each outcome needs, in the order of the format's sub-lines (1., 2., …).
GROUNDS: dict[str, tuple[str, ...]] = {
    REFUSED: (
        "属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
        "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项",
    ),
    UNABLE: ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"),
    NOT_PROCESSED: (
        "信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
        "要求行政机关确认或重新出具已获取信息",
    ),
    OTHER: (OVERDUE_CORRECTION, UNPAID_FEE, OTHER_GROUND),
}
# Typed variants accepted for stored grounds (straight quotes for the curly ones of the format).
GROUND_ALIASES = {'危及"三安全一稳定"': "危及“三安全一稳定”"}


def normalize(outcome: str, ground: str = "") -> tuple[str, str]:
    """The outcome and ground as the report reads them (aliases resolved, whitespace trimmed)."""
    outcome, ground = (outcome or "").strip(), (ground or "").strip()
    ground = GROUND_ALIASES.get(ground, ground)
    if outcome in OUTCOME_ALIASES:
        return OUTCOME_ALIASES[outcome], ""
    return outcome, ground

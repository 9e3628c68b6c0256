"""答复书: one text per outcome and ground (条例 Art. 36–39), its legal basis, and its remedy (portal.info_requests.remedies).

Outcomes and grounds are those of portal.info_requests.outcomes (the annual report counts by them). "已经主动公开" is
stored as outcome 予以公开 with that ground, and the letter tells the applicant where to find it. "非本机关负责公开"
(Art. 36(五)) is stored as 无法提供 · 本机关不掌握相关政府信息 (the line the annual report counts it on) and its letter
names the office responsible with its contact details (a Competent, from the settings' list or typed).
"""
from dataclasses import dataclass
from datetime import date

from ..core.templating import cn_date
from ..models import InfoRequest, Letter, Office
from . import outcomes as rl
from .deadlines import DeadlineState
from .letters import REGULATION, compose, contact_line, make_letter, subject_of
from .releases import released_paragraph
from .remedies import remedy_paragraph

NOT_OURS = "非本机关负责公开"
NOT_OURS_GROUND = "本机关不掌握相关政府信息"


@dataclass(frozen=True)
class Competent:
    """The office responsible for the information (Art. 36(五)); a blank name: it could not be determined."""

    name: str = ""
    address: str = ""
    phone: str = ""
    on_portal: bool = False  # another office of this portal: the applicant may apply to it here

    def sentence(self) -> str:
        """How the letter names it: "该政府信息由X负责公开，联系方式：地址……；电话……。"."""
        if not self.name.strip():
            return "本机关无法确定负责公开该政府信息的行政机关。"
        contacts = "；".join(f"{label}：{value.strip()}" for label, value in (("地址", self.address), ("电话", self.phone))
                            if value.strip())
        portal = f"，也可以在本门户“依申请公开”中选择{self.name.strip()}在线提出申请" if self.on_portal else ""
        return f"该政府信息由{self.name.strip()}负责公开，联系方式：{contacts}。您可以向该机关提出申请{portal}。"


# Why the information is withheld (不予公开, and the withheld part of 部分公开): basis and reason.
WITHHELD = {
    "属于国家秘密": ("第十四条", "属于依法确定为国家秘密的政府信息"),
    "其他法律行政法规禁止公开": ("第十四条", "属于法律、行政法规禁止公开的政府信息"),
    "危及“三安全一稳定”": ("第十四条", "公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
    "保护第三方合法权益": ("第十五条", "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"),
    "属于三类内部事务信息": ("第十六条第一款", "属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等）"),
    "属于四类过程性信息": ("第十六条第二款", "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、"
                                       "磋商信函、请示报告等过程性信息"),
    "属于行政执法案卷": ("第十六条第二款", "属于行政执法案卷信息"),
    "属于行政查询事项": ("第三十六条第（七）项", "属于有关法律、行政法规对信息的获取有特别规定的行政查询事项，"
                                          "请依照有关法律、行政法规的规定办理"),
}

# Every other (outcome, ground): the article it rests on and the sentence that answers. The two 视为放弃 grounds
# (outcomes.LAPSES) have no answer here: their letters are letters.abandonment_letter and fee_letters.unpaid_letter.
ANSWERS = {
    (rl.UNABLE, "本机关不掌握相关政府信息"): (
        "第三十六条第（四）项", "经检索，本机关没有制作或者获取您申请公开的政府信息，该政府信息不存在。"),
    (rl.UNABLE, "没有现成信息需要另行制作"): (
        "第三十八条", "您申请公开的信息需要本机关对现有政府信息进行加工、分析后方能形成，"
                   "本机关没有现成的政府信息，不予提供。"),
    (rl.UNABLE, "补正后申请内容仍不明确"): (
        "第三十条", "本机关已告知您补正申请，您补正后的申请内容仍不明确，本机关无法确定您所需的政府信息，无法提供。"),
    (rl.NOT_PROCESSED, "信访举报投诉类申请"): (
        "第三十九条第一款", "您以政府信息公开申请的形式提出的是信访、投诉、举报等事项，本机关不作为政府信息公开申请处理，"
                        "您可以通过信访、投诉、举报等相应渠道提出。"),
    (rl.NOT_PROCESSED, "重复申请"): (
        "第三十六条第（六）项", "本机关已就您此前提出的相同政府信息公开申请作出答复，对您重复申请公开相同政府信息不予重复处理。"),
    (rl.NOT_PROCESSED, "要求提供公开出版物"): (
        "第三十九条第二款", "您要求提供的是政府公报、报刊、书籍等公开出版物，不作为政府信息公开申请处理，"
                        "您可以通过公开发行渠道或者公共图书馆等途径获取。"),
    (rl.NOT_PROCESSED, "无正当理由大量反复申请"): (
        "第三十五条", "您申请公开政府信息的数量、频次明显超过合理范围，经本机关要求说明理由，申请理由不合理，本机关不予处理。"),
    (rl.NOT_PROCESSED, "要求行政机关确认或重新出具已获取信息"): (
        "第二条", "您的申请实质上是要求本机关确认或者重新出具您已经获取的信息，并非申请获取政府信息，本机关不予处理。"),
    (rl.OTHER, rl.OTHER_GROUND): ("", ""),
}


def needs_ground(outcome: str) -> tuple[str, ...]:
    """The grounds a reply with this outcome must choose from (部分公开: why the rest is withheld); never a
    视为放弃 ground (outcomes.LAPSES), which only its own step records."""
    if outcome == rl.PARTLY_DISCLOSED:
        return rl.GROUNDS[rl.REFUSED]
    return tuple(g for g in rl.GROUNDS.get(outcome, ()) if g not in rl.LAPSES)


def legal_basis(outcome: str, ground: str = "") -> str:
    """The articles of the 条例 an answer rests on, e.g. "第三十六条第（三）项、第十五条"."""
    if outcome == rl.DISCLOSED:
        return "第三十六条第（一）项" if ground == rl.ALREADY_PUBLISHED else "第三十六条第（二）项"
    if outcome == rl.PARTLY_DISCLOSED:
        return f"第三十七条、{WITHHELD[ground][0]}"
    if outcome == rl.REFUSED:
        return f"第三十六条第（三）项、{WITHHELD[ground][0]}"
    return ANSWERS[(outcome, ground)][0]


def not_ours_paragraphs(note: str, competent: Competent) -> list[str]:
    """Art. 36(五): not this office's to disclose, why, and who is (where known) with how to reach them."""
    return [f"经审查，您申请公开的政府信息不属于本机关负责公开。理由：{note.strip()}",
            f"根据{REGULATION}第三十六条第（五）项的规定，告知如下：{competent.sentence()}"]


def answer_paragraphs(info_request: InfoRequest, outcome: str, ground: str, note: str,
                      competent: Competent | None = None) -> list[str]:
    """The paragraphs that give the answer itself, with the articles cited."""
    basis = legal_basis(outcome, ground)
    note = note.strip()
    if competent is not None:
        return not_ours_paragraphs(note, competent)
    provide = f"按照您要求的形式（{info_request.provide_forms}）和获取方式（{info_request.obtain_methods}）提供"
    if outcome == rl.DISCLOSED and ground == rl.ALREADY_PUBLISHED:
        return ["您申请公开的政府信息已经主动公开。",
                f"根据{REGULATION}{basis}的规定，告知您获取该政府信息的方式和途径：{note}。"]
    if outcome == rl.DISCLOSED:
        return [f"经审查，您申请公开的政府信息属于公开范围。根据{REGULATION}{basis}的规定，本机关予以公开，"
                f"现{provide}。" + (note if note else "")]
    if outcome == rl.PARTLY_DISCLOSED:
        article, reason = WITHHELD[ground]
        return [f"经审查，您申请公开的政府信息中，部分内容{reason}。根据{REGULATION}第三十七条的规定，"
                f"本机关作区分处理：对可以公开的部分予以公开，现{provide}；对上述内容，"
                f"根据{REGULATION}{article}的规定不予公开。" + (f"具体说明：{note}" if note else "")]
    if outcome == rl.REFUSED:
        article, reason = WITHHELD[ground]
        return [f"经审查，您申请公开的政府信息{reason}。根据{REGULATION}{article}、第三十六条第（三）项的规定，"
                "本机关决定不予公开。" + (f"具体说明：{note}" if note else "")]
    text = ANSWERS[(outcome, ground)][1]
    if not basis:
        return [note]
    return [f"根据{REGULATION}{basis}的规定，{text}" + (note if note else "")]


def reply_letter(info_request: InfoRequest, office: Office, day: date, deadline: DeadlineState,
                 outcome: str, ground: str = "", note: str = "", competent: Competent | None = None,
                 released: list | None = None) -> Letter:
    """答复书 for one outcome: what was asked, the answer and its basis, the files `released` (name and
    size), the remedy for that outcome."""
    corrected = any(e.kind == "corrected_received" for e in info_request.events)
    received = (f"于{cn_date(deadline.clock_start)}收到您补正后的申请" if corrected and deadline.clock_start
                else f"于{cn_date(deadline.receipt_date)}收到您的申请")
    paragraphs = [
        f"您申请公开“{subject_of(info_request)}”的政府信息（申请编号：{info_request.tracking_number}），"
        f"本机关{received}。现答复如下：",
        *answer_paragraphs(info_request, outcome, ground, note, competent),
        *([released_paragraph(released, outcome)] if released else []),
        remedy_paragraph(office, outcome),
        contact_line(office),
    ]
    return make_letter("答复书", info_request, day, compose(info_request.applicant.name, paragraphs, office, day))

"""The letter to a third party whose objection the office overrides for the public interest (条例 Art. 32).

Art. 32: where the office considers that withholding could seriously affect the public interest, it may
decide to disclose, and tells the third party in writing what it will disclose and why: the 决定公开告知书.
It also gives the day from which the information will be provided, so the third party has time to act, and
its remedy naming the 复议机关 and both limits (remedies.disclosure_remedy). An objection without 合理理由 gets
no letter (Art. 32 asks for none, see consultations.DECISIONS). It goes to the third party, never to the
applicant (portal.models.applications.NOT_FOR_APPLICANT).
"""
from datetime import date

from ..core.templating import cn_date
from ..models import InfoRequest, Letter, Office
from .letters import REGULATION, compose, contact_line, make_letter
from .remedies import disclosure_remedy

NOTICE = "决定公开告知书"


def third_party_recipient(info_request: InfoRequest, party: str) -> tuple[str, Letter | None]:
    """Whom the consultation with `party` was addressed to, and its 征求意见书 (matched in the order sent)."""
    starts = [e for e in info_request.events if e.kind == "consultation_started" and e.party.startswith("第三方")]
    asked = [x for x in info_request.letters if x.kind == "征求意见书" and "第三方" in x.title]
    index = next((i for i, e in enumerate(starts) if e.party == party), None)
    letter = asked[index] if index is not None and index < len(asked) else None
    start = starts[index] if index is not None else None
    name = (start.note if start is not None else "") or (letter.body.split("：", 1)[0] if letter else "")
    return name.strip() or party, letter


def disclosure_notice(info_request: InfoRequest, office: Office, day: date, *, party: str, sent: date,
                      disclosed: str, grounds: str, disclose_on: date) -> Letter:
    """决定公开告知书: what will be disclosed, the reasons, and the day from which it will be provided."""
    recipient, asked = third_party_recipient(info_request, party)
    named = f"《{asked.title}》（{asked.number}）" if asked else "征求意见书"
    paragraphs = [
        f"本机关于{cn_date(sent)}就一份政府信息公开申请（本机关编号：{info_request.tracking_number}）"
        f"向您（贵单位）发出{named}。您（贵单位）提出了不同意公开的意见。",
        f"经审查，本机关认为不公开可能对公共利益造成重大影响。根据{REGULATION}第三十二条的规定，"
        "本机关决定予以公开，现将决定公开的政府信息内容和理由书面告知如下：",
        f"一、决定公开的政府信息内容：{' '.join(disclosed.split())}",
        f"二、决定公开的理由：{' '.join(grounds.split())}",
        f"本机关将自{cn_date(disclose_on)}起向申请人提供上述信息，在此之前不予提供。",
        disclosure_remedy(office),
        contact_line(office),
    ]
    return make_letter(NOTICE, info_request, day, compose(recipient, paragraphs, office, day),
                       "政府信息公开决定公开告知书（第三方）")

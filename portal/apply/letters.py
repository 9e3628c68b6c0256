"""The texts of letters to applicants; each is kept as issued, with its number."""
from datetime import date

from ..models import InfoRequest, Letter, Office


def receipt_letter(info_request: InfoRequest, office: Office, today: date) -> Letter:
    """接收回执 for an online application: received, awaiting confirmation, how to track it."""
    from .services import next_letter_number

    applicant = info_request.applicant
    body = "\n".join([
        f"{applicant.name}：",
        f"您于 {today:%Y年%m月%d日} 通过{office.name}政府信息公开门户提交的政府信息公开申请已收到，"
        f"申请编号（查询号）为 {info_request.tracking_number}。",
        "根据《中华人民共和国政府信息公开条例》第三十一条第（三）项，通过互联网提交的申请，"
        "以双方确认之日为收到申请之日。工作人员将在工作日内与您确认，确认之日起算答复期限。",
        "本机关将自收到申请之日起 20 个工作日内予以答复（收到申请当日不计入）；"
        "需要延长答复期限的，将书面告知您，延长期限最长不超过 20 个工作日。",
        "您可以凭查询号和查询码在门户“依申请公开—查询申请”中查看办理进度和本机关发出的告知书。",
        f"联系电话：{office.phone}；地址：{office.address}。",
        office.name,
        f"{today:%Y年%m月%d日}",
    ])
    return Letter(kind="接收回执", number=next_letter_number("收", today.year), issued_on=today,
                  title="政府信息公开申请接收回执", body=body)

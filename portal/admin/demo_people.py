"""Made-up demo applicants and the application fields they fill in (for load-demo; nobody real)."""
from ..core.validators import resident_id_check_char, uscc_check_char


HOME = "上海市普陀区石泉路（演示地址）"  # where the sample office's demo applicants live


def citizen(name: str, body17: str, phone: str, address: str = HOME) -> dict:
    """A made-up citizen (the ID's check digit is computed, the person does not exist)."""
    return {"name": name, "id_type": "居民身份证", "id_number": body17 + resident_id_check_char(body17),
            "phone": phone, "address": address, "postcode": "200061"}


def organisation(name: str, body17: str) -> dict:
    """A made-up organisation (the credit code's check character is computed)."""
    return {"name": name, "uscc": body17 + uscc_check_char(body17), "legal_representative": "演示法人",
            "contact_person": "演示联系人", "phone": "021-62540000", "address": "上海市普陀区（演示地址）"}


def request(description: str, kind: str | None = None) -> dict:
    """The application's own fields (`kind`: the organisation's kind, None for a citizen)."""
    return {"applicant_type": "法人或其他组织" if kind else "公民", "org_kind": kind, "description": description,
            "provide_forms": "纸质", "obtain_methods": "自行领取/当场阅读抄录"}

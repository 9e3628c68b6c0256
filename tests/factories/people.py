"""Builders for application tests: valid identities with computed check characters, a filled form."""
from portal.core.validators import resident_id_check_char, uscc_check_char


def resident_id(body17: str = "31010719800101123") -> str:
    """A syntactically valid 居民身份证 number (made up, check digit computed)."""
    return body17 + resident_id_check_char(body17)


def uscc(body17: str = "91310107MA1G00000") -> str:
    """A syntactically valid 统一社会信用代码 (made up, check character computed)."""
    return body17 + uscc_check_char(body17)


CITIZEN_FORM = {
    "applicant_type": "公民", "name": "张三", "id_type": "居民身份证", "id_number": resident_id(),
    "phone": "13800138000", "email": "zhangsan@example.com", "address": "上海市普陀区石泉路1号",
    "postcode": "200061", "description": "2024年石泉路街道老旧小区加装电梯补贴的发放名单",
    "doc_title": "", "doc_number": "", "provide_forms": ["电子邮件"], "obtain_methods": ["电子邮件"],
}

ORG_FORM = {
    "applicant_type": "法人或其他组织", "org_name": "上海某某律师事务所", "uscc": uscc(),
    "org_kind": "法律服务机构", "legal_representative": "李四", "contact_person": "王五",
    "phone": "021-62541234", "email": "", "address": "上海市普陀区曹杨路100号", "postcode": "200063",
    "description": "石泉路街道2023年房屋征收补偿方案及其批复文件", "doc_title": "", "doc_number": "",
    "provide_forms": ["纸质"], "obtain_methods": ["邮寄"],
}

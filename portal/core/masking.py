"""Masking personal data for pages that need to show whose it is, not what it is (staff lists, tracking)."""
from .validators import LOCAL_RE, MOBILE_RE


def mask_id(s: str) -> str:
    """Hide the middle of an identifier for staff who don't need it: 3101**********123X.

    At most half of the characters stay visible, split between the two ends (four at each end
    of an 18-character ID), so a short passport or permit number is hidden too.
    """
    keep = min(4, len(s) // 4) if len(s) >= 6 else 0
    if keep == 0:
        return "*" * len(s)
    return s[:keep] + "*" * (len(s) - 2 * keep) + s[-keep:]


def mask_phone(s: str) -> str:
    """Hide the middle of a phone number: 138****1234, 021-****5678, ****3456 (an extension is dropped)."""
    if MOBILE_RE.match(s):
        return s[:3] + "****" + s[-4:]
    if LOCAL_RE.match(s):  # 62123456[-801]: no area code to show, only the last four digits
        return "****" + s.split("-")[0][-4:]
    if "-" in s:
        area, number = s.split("-")[:2]
        return f"{area}-" + "*" * max(len(number) - 4, 0) + number[-4:]
    return s[:3] + "*" * max(len(s) - 7, 0) + s[-4:] if len(s) > 7 else "*" * len(s)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**娜: first and last character kept."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_email(email: str) -> str:
    """zhangsan@example.com → z***@example.com."""
    local, at, domain = (email or "").partition("@")
    if not at:
        return mask_id(email or "")
    return f"{local[:1]}***@{domain}"


def mask_address(address: str) -> str:
    """Keep the district, hide the street and number: 上海市普陀区****."""
    address = (address or "").strip()
    if not address:
        return ""
    return address[:6] + "****" if len(address) > 6 else address[:1] + "****"

"""Catalog entries for tests, published through the catalog's own service, and the files they carry."""
import io
from datetime import date

import docx

from portal.catalog.services import publish_document

BASE = {
    "title": "测试通知", "doc_number": "", "publisher": "上海市普陀区石泉路街道办事处",
    "written_date": date(2024, 3, 1), "published_date": date(2024, 3, 5),
    "category": "综合政务\\政务公开", "doc_type": "通知", "validity": "有效",
    "summary": "", "body": "", "keywords": "",
}


def publish(**fields):
    """Publish one entry through the real service (database + index)."""
    return publish_document(BASE | fields)


def docx_bytes(*paragraphs: str) -> bytes:
    """A real DOCX file containing the paragraphs."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

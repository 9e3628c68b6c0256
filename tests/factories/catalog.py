"""Catalog entries for tests, made through the catalog's one write path (event, audit row, change log), and
the files they carry."""
import io
from datetime import date

import docx

from portal import search
from portal.catalog import workflow
from portal.core.db import transaction
from portal.models import Document, User

BASE = {
    "title": "测试通知", "doc_number": "", "publisher": "上海市普陀区石泉路街道办事处",
    "written_date": date(2024, 3, 1), "published_date": date(2024, 3, 5),
    "category": "综合政务\\政务公开", "doc_type": "通知", "validity": "有效",
    "summary": "", "body": "", "keywords": "",
}


ACTOR = "测试数据"  # who the history and the audit log name for entries made here


def publish(files=(), **fields) -> Document:
    """Publish one entry as an import line would (发布日期 as given), in its own transaction."""
    with transaction():
        doc, _ = workflow.record_published(BASE | fields, files, actor=ACTOR, action="import")
    workflow.finish(doc)
    assert search.wait_idle(20)  # the follower applied the change log: the entry is searchable
    return doc


def draft(author: User, **fields) -> Document:
    """An unpublished draft, written by an 编辑 through the review workflow."""
    return workflow.save_draft(BASE | fields, [], author)


def docx_bytes(*paragraphs: str) -> bytes:
    """A real DOCX file containing the paragraphs."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

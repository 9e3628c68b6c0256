"""Zip-based attachments (DOCX, XLSX) judged from their zip directory alone, before anything inflates them.

The central directory states each member's compressed and uncompressed size. Python's zipfile, which
python-docx and openpyxl read through, never returns more than the stated uncompressed size (and
fails on a CRC mismatch), so the stated sizes bound what a parser can be made to read. The directory
is walked here record by record, stopping at the member limit, so a directory of a million entries
costs no more than the limit.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

EOCD, EOCD64, LOCATOR64, ENTRY = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07", b"PK\x01\x02"
MAX_COMMENT = 0xFFFF
RATIO_GRACE = 1024 * 1024  # members smaller than this inflated are not judged by their ratio


class ArchiveRefused(ValueError):
    """The archive exceeds a limit or cannot be read; `reason` says which, `args` the numbers."""

    def __init__(self, reason: str, value: int = 0):
        """Keep the reason ("damaged", "members", "member_size", "total_size", "ratio") and its value."""
        super().__init__(reason, value)
        self.reason, self.value = reason, value


@dataclass(frozen=True)
class ArchiveLimits:
    """What a zip-based attachment may declare: member count, sizes inflated, compression ratio."""

    max_members: int = 10_000
    max_member_bytes: int = 100 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 100


def check_archive(data: bytes, limits: ArchiveLimits) -> int:
    """The total size the archive inflates to, read from its directory; ArchiveRefused past a limit."""
    start, size = _directory(data)
    total, offset, count, end = 0, start, 0, start + size
    while offset < end:
        if data[offset:offset + 4] != ENTRY or offset + 46 > len(data):
            raise ArchiveRefused("damaged")
        count += 1
        if count > limits.max_members:
            raise ArchiveRefused("members", count)
        (csize, usize, name_len, extra_len, comment_len) = struct.unpack_from("<4x16xII HHH", data, offset)
        extra = data[offset + 46 + name_len:offset + 46 + name_len + extra_len]
        csize, usize = _zip64_sizes(extra, csize, usize)
        if usize > limits.max_member_bytes:
            raise ArchiveRefused("member_size", usize)
        if usize > RATIO_GRACE and usize > limits.max_ratio * max(csize, 1):
            raise ArchiveRefused("ratio", usize // max(csize, 1))
        total += usize
        if total > limits.max_total_bytes:
            raise ArchiveRefused("total_size", total)
        offset += 46 + name_len + extra_len + comment_len
    if count == 0:
        raise ArchiveRefused("damaged")
    return total


def _directory(data: bytes) -> tuple[int, int]:
    """Where the central directory starts and how long it is, from the end records (zip64 included)."""
    at = len(data) - 22  # zipfile's order: a record with no comment at the very end, else the last one
    if at < 0 or data[at:at + 4] != EOCD or data[-2:] != b"\0\0":
        at = data.rfind(EOCD, max(0, len(data) - 22 - MAX_COMMENT))
    if at < 0 or at + 22 > len(data):
        raise ArchiveRefused("damaged")
    size, record_at = struct.unpack_from("<12xI", data, at)[0], at
    locator = at - 20
    if locator >= 56 and data[locator:locator + 4] == LOCATOR64 and data[locator - 56:locator - 52] == EOCD64:
        # zip64, as zipfile reads it: the record right before its locator, whatever the locator says
        record_at = locator - 56
        size = struct.unpack_from("<40xQ", data, record_at)[0]
    start = record_at - size  # as zipfile finds it: right before the end records, whatever data precedes
    if start < 0:
        raise ArchiveRefused("damaged")
    return start, size


def _zip64_sizes(extra: bytes, csize: int, usize: int) -> tuple[int, int]:
    """The real sizes when the directory entry defers them to its zip64 extra field."""
    if usize != 0xFFFFFFFF and csize != 0xFFFFFFFF:
        return csize, usize
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, at)
        if tag == 1:
            fields, pos = extra[at + 4:at + 4 + length], 0
            if usize == 0xFFFFFFFF and pos + 8 <= len(fields):
                usize, pos = struct.unpack_from("<Q", fields, pos)[0], pos + 8
            if csize == 0xFFFFFFFF and pos + 8 <= len(fields):
                csize = struct.unpack_from("<Q", fields, pos)[0]
            break
        at += 4 + length
    if usize == 0xFFFFFFFF:
        raise ArchiveRefused("damaged")
    return csize, usize

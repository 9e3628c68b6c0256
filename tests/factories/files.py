"""Files for attachment tests: a real small PDF, and real zip bombs (DOCX, XLSX) built in memory in
milliseconds, whatever size they inflate to.

A bomb's big member is one deflate block, compressed once and repeated: a block flushed with
Z_FULL_FLUSH refers to nothing before it, so n copies inflate to n copies of its text. Its CRC-32 is
computed the way zlib's crc32_combine does, without touching the inflated bytes, so every reader that
inflates it to the end finds it valid.
"""
from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib

from openpyxl import Workbook

from tests.factories.catalog import docx_bytes

# One long run of one character compresses about 800:1, what the bombs the audit sent had (~400:1) and more.
PARAGRAPH = ("<w:p><w:r><w:t>" + "公" * 20000 + "</w:t></w:r></w:p>").encode()
ROW = ("<row><c t=\"inlineStr\"><is><t>" + "公" * 20000 + "</t></is></c></row>").encode()
DOCX_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
DOCX_TAIL = b"</w:body></w:document>"
XLSX_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
XLSX_TAIL = b"</sheetData></worksheet>"


def pdf_bytes(text: str = "Open government information") -> bytes:
    """A one-page PDF whose page shows `text` (ASCII) in Helvetica: the smallest real PDF with text."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def xlsx_bytes(*rows: tuple) -> bytes:
    """A real XLSX file with the rows on its first sheet."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_bomb(inflated: int, size: int | None = None) -> bytes:
    """A DOCX whose word/document.xml inflates to about `inflated` bytes of paragraphs; padded to `size`."""
    return _bomb(docx_bytes("封面"), "word/document.xml", DOCX_HEAD, PARAGRAPH, DOCX_TAIL, inflated, size)


def xlsx_bomb(inflated: int, size: int | None = None) -> bytes:
    """An XLSX whose first sheet inflates to about `inflated` bytes of rows; padded to `size`."""
    return _bomb(xlsx_bytes(("封面",)), "xl/worksheets/sheet1.xml", XLSX_HEAD, ROW, XLSX_TAIL, inflated, size)


def _bomb(base: bytes, member: str, head: bytes, unit: bytes, tail: bytes, inflated: int,
          size: int | None) -> bytes:
    """The members of `base`, `member` replaced by head + unit × n + tail, and random padding to `size`."""
    block = unit * max(1, (1 << 20) // len(unit))
    copies = max(1, (inflated - len(head) - len(tail)) // len(block))
    compressed = (_flushed(head) + _flushed(block) * copies + _finished(tail))
    crc = _crc_repeat(zlib.crc32(block), len(block), copies, zlib.crc32(head))
    crc = _crc_join(crc, zlib.crc32(tail), len(tail))
    usize = len(head) + len(block) * copies + len(tail)
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        members = [(i.filename, zlib.crc32(d := source.read(i)), len(d), 8, _finished(d))
                   for i in source.infolist() if i.filename != member]
    members.insert(1, (member, crc, usize, 8, compressed))
    if size:
        padding = size - sum(len(m[4]) + 2 * len(m[0]) + 76 for m in members) - 22 - 2 * (76 + 20)
        data = os.urandom(max(0, padding))
        members.append(("customXml/padding.bin", zlib.crc32(data), len(data), 0, data))
    return _zip(members)


def _flushed(data: bytes) -> bytes:
    """Raw deflate of `data`, ending on a byte boundary with no reference to what comes before or after."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def _finished(data: bytes) -> bytes:
    """Raw deflate of `data` as the last block of a stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH)


def _zip(members: list[tuple[str, int, int, int, bytes]]) -> bytes:
    """A zip file of (name, crc, uncompressed size, method, compressed bytes), without zip64."""
    out, directory = io.BytesIO(), io.BytesIO()
    for name, crc, usize, method, data in members:
        encoded, offset = name.encode(), out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), usize,
                              len(encoded), 0) + encoded)
        out.write(data)
        directory.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc,
                                    len(data), usize, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    out.write(directory.getvalue())
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                          len(directory.getvalue()), start, 0))
    return out.getvalue()


# CRC-32 of concatenations without the bytes (zlib's crc32_combine, in GF(2)).

def _gf2_times(matrix: list[int], vector: int) -> int:
    """Multiply a 32×32 GF(2) matrix (a list of column words) by a vector."""
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    """The matrix times itself."""
    return [_gf2_times(matrix, column) for column in matrix]


def _crc_join(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A + B from crc(A), crc(B) and len(B)."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << i for i in range(31)]  # the operator for one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def _crc_repeat(crc: int, length: int, copies: int, prefix_crc: int = 0) -> int:
    """The CRC-32 of a prefix followed by `copies` copies of a block (its crc and length), by doubling."""
    result, power, power_len = prefix_crc, crc, length
    while copies:
        if copies & 1:
            result = _crc_join(result, power, power_len)
        power = _crc_join(power, power, power_len)
        power_len *= 2
        copies >>= 1
    return result


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real PNG image (grey pixels): signature, IHDR, one IDAT, IEND, each chunk with its CRC."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        """One PNG chunk: length, type, data, CRC-32 of type and data."""
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
